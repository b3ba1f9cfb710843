import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { aggregate, recomputeStream } from "./job";
import { insertSession, playing } from "./walk.testkit";

const quiet = { progress: () => {} };
const at = (iso: string) => new Date(`2026-11-20T${iso}Z`);

async function minutes(streamId: string): Promise<Record<string, number>> {
  const { rows } = await getPool().query<{ minute: Date; viewers: number }>(
    "SELECT minute, viewers FROM stream_concurrency WHERE stream_id = $1 ORDER BY minute",
    [streamId],
  );
  return Object.fromEntries(rows.map((r) => [r.minute.toISOString().slice(11, 16), r.viewers]));
}

async function peak(streamId: string) {
  const { rows } = await getPool().query("SELECT peak_concurrent_viewers AS peak, peak_concurrent_at AS at FROM stream_stats WHERE stream_id = $1", [streamId]);
  return rows[0] as { peak: number; at: Date };
}

describe("concurrency (sweep line)", () => {
  it("overlapping sessions: peak 2 where they overlap, per-minute peaks", async () => {
    const stream = await createStream();
    // A: 10:00:30 → 10:05:00, B: 10:02:00 → 10:07:30.
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: at("10:00:30"), events: playing(270) });
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: at("10:02:00"), events: playing(330) });
    await aggregate(quiet, { streamIds: [stream.id], full: true });
    expect(await peak(stream.id)).toEqual({ peak: 2, at: at("10:02:00") });
    expect(await minutes(stream.id)).toEqual({
      "10:00": 1, "10:01": 1, "10:02": 2, "10:03": 2, "10:04": 2, "10:05": 1, "10:06": 1, "10:07": 1,
    });
  });

  it("touching sessions (one ends as the next starts): an end counts before a start, peak 1", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: at("11:00:00"), events: playing(60) });
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: at("11:01:00"), events: playing(60) });
    await aggregate(quiet, { streamIds: [stream.id], full: true });
    expect((await peak(stream.id)).peak).toBe(1);
    expect(await minutes(stream.id)).toEqual({ "11:00": 1, "11:01": 1 });
  });

  it("a session of a single event holds its instant; three sessions starting together make 3", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: at("12:00:10"), events: [{ type: "play", t: 0 }] });
    let p = await (async () => {
      await aggregate(quiet, { streamIds: [stream.id], full: true });
      return peak(stream.id);
    })();
    expect(p).toEqual({ peak: 1, at: at("12:00:10") });
    const other = await createStream();
    for (let i = 0; i < 3; i++) await insertSession({ streamId: other.id, clientId: uid("c"), base: at("12:30:00"), events: playing(30) });
    await aggregate(quiet, { streamIds: [other.id], full: true });
    p = await peak(other.id);
    expect(p).toEqual({ peak: 3, at: at("12:30:00") });
  });

  it("an incremental window gives the same rows as recomputing the whole stream", async () => {
    const stream = await createStream();
    for (let i = 0; i < 6; i++) {
      await insertSession({ streamId: stream.id, clientId: uid("c"), base: new Date(at("14:00:00").getTime() + i * 170_000), events: playing(600 + i * 45) });
    }
    await aggregate(quiet, { streamIds: [stream.id], full: true });
    // A new session in the middle, recomputed over its own span only.
    const from = at("14:07:13");
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: from, events: playing(150) });
    await recomputeStream(getPool(), { streamId: stream.id, from, to: new Date(from.getTime() + 150_000), full: false });
    const snapshot = async () => {
      const pool = getPool();
      const c = await pool.query("SELECT minute, viewers FROM stream_concurrency WHERE stream_id = $1 ORDER BY minute", [stream.id]);
      const d = await pool.query("SELECT day, viewers, sessions, watch_seconds, peak_concurrent FROM stream_daily_stats WHERE stream_id = $1 ORDER BY day", [stream.id]);
      const s = await pool.query("SELECT sessions, peak_concurrent_viewers, peak_concurrent_at, total_watch_seconds FROM stream_stats WHERE stream_id = $1", [stream.id]);
      return { c: c.rows, d: d.rows, s: s.rows };
    };
    const incremental = await snapshot();
    await aggregate(quiet, { streamIds: [stream.id], full: true });
    expect(incremental).toEqual(await snapshot());
    expect(incremental.s[0].sessions).toBe(7);
    expect(Math.max(...incremental.c.map((r) => r.viewers))).toBe(incremental.s[0].peak_concurrent_viewers);
  });
});
