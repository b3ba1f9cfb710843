import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { finalizeSessions, splitSession } from "./finalize";
import { insertEvents, insertSession, minutesAgo, playing } from "./walk.testkit";

const cutoff = () => new Date(Date.now() - 30 * 60_000);

async function sessionsOf(streamId: string) {
  const { rows } = await getPool().query(
    `SELECT v.*, (SELECT count(*)::int FROM playback_events e WHERE e.session_id = v.id) AS linked_events
     FROM viewer_sessions v WHERE stream_id = $1 ORDER BY started_at`,
    [streamId],
  );
  return rows;
}

describe("finalizing sessions", () => {
  it("recomputes silent sessions from all their events and leaves open ones alone", async () => {
    const stream = await createStream();
    const old = await insertSession({
      streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events: playing(60, 0, 700),
      provisional: { watchSeconds: 999, bufferSeconds: 3 },
    });
    const open = await insertSession({
      streamId: stream.id, clientId: uid("c"), base: minutesAgo(10), events: playing(60),
      provisional: { watchSeconds: 15, bufferSeconds: 0 },
    });
    const r = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(r).toEqual({ sessions: 1, walked: 1, kept: 0, events: 5, splits: 0 });
    const rows = new Map((await sessionsOf(stream.id)).map((s) => [s.id, s]));
    expect(rows.get(old)).toMatchObject({ watch_seconds: 60, buffer_seconds: 0, startup_ms: 700, event_count: 5, last_state: "playing" });
    expect(rows.get(old).finalized_at).toBeInstanceOf(Date);
    expect(rows.get(open)).toMatchObject({ watch_seconds: 15, finalized_at: null });
    // Nothing left to do: a second pass finalizes nothing.
    expect(await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] })).toEqual({ sessions: 0, walked: 0, kept: 0, events: 0, splits: 0 });
  });

  it("a session whose events are gone (retention) is finalized with the figures it has", async () => {
    const stream = await createStream();
    const id = await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(300), events: playing(45) });
    await getPool().query("DELETE FROM playback_events WHERE session_id = $1", [id]);
    const r = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(r).toEqual({ sessions: 1, walked: 1, kept: 0, events: 0, splits: 0 });
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ id, watch_seconds: 45, event_count: 4 });
    expect(s.finalized_at).toBeInstanceOf(Date);
  });

  it("splits a session at a gap of 30 min or more (a late retry), not at 29:59", async () => {
    const stream = await createStream();
    const base = minutesAgo(240);
    const client = uid("c");
    const id = await insertSession({
      streamId: stream.id, clientId: client, base, country: "AT", device: "tablet",
      events: [...playing(60), ...playing(30, 60 + 30 * 60)], // silence from 60 s to 30 min 60 s: exactly 30 min
    });
    const kept = await insertSession({
      streamId: stream.id, clientId: uid("c"), base,
      events: [...playing(15), ...playing(15, 15 + 29 * 60 + 59)],
    });
    const r = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id] });
    expect(r).toMatchObject({ sessions: 3, splits: 1 });
    const rows = await sessionsOf(stream.id);
    const mine = rows.filter((s) => s.client_id === client);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ id, watch_seconds: 60, event_count: 5, linked_events: 5, country: "AT", device_class: "tablet" });
    expect(mine[1]).toMatchObject({ watch_seconds: 30, event_count: 3, linked_events: 3, country: "AT", device_class: "tablet" });
    expect(mine[1].started_at.getTime()).toBe(base.getTime() + (60 + 30 * 60) * 1000);
    expect(mine[0].ended_at.getTime()).toBe(base.getTime() + 60_000);
    expect(mine[1].finalized_at).toBeInstanceOf(Date);
    const other = rows.find((s) => s.id === kept);
    expect(other).toMatchObject({ event_count: 4, watch_seconds: 30 + 30 });
  });

  it("finalizes again a finalized session that got a late event, and skips a session changed meanwhile", async () => {
    const stream = await createStream();
    const client = uid("c");
    const base = minutesAgo(120);
    const id = await insertSession({ streamId: stream.id, clientId: client, base, events: playing(30), finalized: true });
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    // A retried batch lands: two more heartbeats; ingestion bumps updated_at.
    await insertEvents(stream.id, client, id, base, [{ type: "heartbeat", t: 45 }, { type: "heartbeat", t: 60 }]);
    await getPool().query("UPDATE viewer_sessions SET updated_at = now() WHERE id = $1", [id]);
    const r = await finalizeSessions(getPool(), { cutoff: cutoff(), streamIds: [stream.id], since });
    expect(r).toEqual({ sessions: 1, walked: 1, kept: 0, events: 5, splits: 0 });
    const [s] = await sessionsOf(stream.id);
    expect(s).toMatchObject({ watch_seconds: 60, event_count: 5 });
    expect(s.ended_at.getTime()).toBe(base.getTime() + 60_000);
    // The split path re-checks updated_at under a row lock: a stale view changes nothing.
    expect(await splitSession(getPool(), id, new Date(0))).toEqual({ sessions: 0, walked: 0, kept: 0, events: 0, splits: 0 });
  });
});
