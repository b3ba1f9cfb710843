import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { aggregate } from "./job";
import { insertSession, minutesAgo, playing } from "./walk.testkit";

const quiet = { progress: () => {} };

/** Runs the job's work (no lock, no job_runs row) for one stream and returns its stats row. */
async function statsAfterAggregation(streamId: string) {
  await aggregate(quiet, { streamIds: [streamId], full: true });
  const { rows } = await getPool().query("SELECT * FROM stream_stats WHERE stream_id = $1", [streamId]);
  return rows[0];
}

describe("stream_stats (the plan's expected outputs)", () => {
  it("one viewer, play + 4 heartbeats at 15 s: total 60, average 60, peak 1", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events: playing(60), country: "DE" });
    const s = await statsAfterAggregation(stream.id);
    expect(s).toMatchObject({
      unique_viewers: 1,
      sessions: 1,
      events: 5,
      total_watch_seconds: 60,
      own_watch_seconds: 60,
      avg_watch_seconds: 60,
      peak_concurrent_viewers: 1,
      buffer_ratio: 0,
      error_rate: 0,
      bunny_watch_seconds: null,
    });
    expect(s.peak_concurrent_at.getTime()).toBe(minutesAgo(120).getTime());
    expect(s.top_countries).toEqual([{ country: "DE", sessions: 1, watchSeconds: 60 }]);
    expect(s.devices).toEqual({ desktop: 1, mobile: 0, tablet: 0, tv: 0, other: 0 });
  });

  it("buffering 5 s once: buffer ratio 5/60", async () => {
    const stream = await createStream();
    await insertSession({
      streamId: stream.id, clientId: uid("c"), base: minutesAgo(120),
      events: [{ type: "play", t: 0 }, { type: "heartbeat", t: 15 }, { type: "buffer_start", t: 20 }, { type: "buffer_end", t: 25 }, { type: "heartbeat", t: 30 }, { type: "heartbeat", t: 45 }, { type: "heartbeat", t: 60 }],
    });
    const s = await statsAfterAggregation(stream.id);
    expect(s.total_watch_seconds).toBe(60);
    expect(s.buffer_seconds).toBe(5);
    expect(s.buffer_ratio).toBeCloseTo(5 / 60, 12);
  });

  it("one viewer, one error: error rate 1.0", async () => {
    const stream = await createStream();
    await insertSession({
      streamId: stream.id, clientId: uid("c"), base: minutesAgo(120),
      events: [...playing(30), { type: "error", t: 31, extra: { code: "fragLoadError" } }],
    });
    const s = await statsAfterAggregation(stream.id);
    expect(s.error_sessions).toBe(1);
    expect(s.error_rate).toBe(1);
  });

  it("unknown country is ZZ; countries largest first; every device class; startup average and p95", async () => {
    const stream = await createStream();
    const base = minutesAgo(180);
    const viewer = uid("c");
    // The same viewer twice (two sessions, 40 min apart): one unique viewer, two sessions.
    await insertSession({ streamId: stream.id, clientId: viewer, base, events: playing(30, 0, 100), country: "FR", device: "mobile" });
    await insertSession({ streamId: stream.id, clientId: viewer, base: new Date(base.getTime() + 40 * 60_000), events: playing(60, 0, 200), country: "FR", device: "mobile" });
    await insertSession({ streamId: stream.id, clientId: uid("c"), base, events: playing(90, 0, 300), device: "tv" });
    await insertSession({ streamId: stream.id, clientId: uid("c"), base, events: playing(15), country: "DE", device: "tablet" });
    const s = await statsAfterAggregation(stream.id);
    expect(s.unique_viewers).toBe(3);
    expect(s.sessions).toBe(4);
    expect(s.total_watch_seconds).toBe(195);
    expect(s.avg_watch_seconds).toBe(195 / 4);
    expect(s.top_countries).toEqual([
      { country: "FR", sessions: 2, watchSeconds: 90 },
      { country: "ZZ", sessions: 1, watchSeconds: 90 },
      { country: "DE", sessions: 1, watchSeconds: 15 },
    ]);
    expect(s.devices).toEqual({ desktop: 0, mobile: 2, tablet: 1, tv: 1, other: 0 });
    expect(s.startup_ms_avg).toBe(200);
    // percentile_cont over 100, 200, 300: 200 + 0.9 · 100.
    expect(s.startup_ms_p95).toBeCloseTo(290, 9);
    expect(s.peak_concurrent_viewers).toBe(3);
  });

  it("keeps Bunny's figures: total = max(own, Bunny) once a sync has set them", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(120), events: playing(60) });
    await getPool().query(
      `INSERT INTO stream_stats (stream_id, bunny_watch_seconds, bunny_views, total_watch_seconds) VALUES ($1, 500, 7, 500)`,
      [stream.id],
    );
    let s = await statsAfterAggregation(stream.id);
    expect(s).toMatchObject({ own_watch_seconds: 60, bunny_watch_seconds: 500, bunny_views: 7, total_watch_seconds: 500, avg_watch_seconds: 60 });
    await getPool().query("UPDATE stream_stats SET bunny_watch_seconds = 10 WHERE stream_id = $1", [stream.id]);
    s = await statsAfterAggregation(stream.id);
    expect(s).toMatchObject({ own_watch_seconds: 60, bunny_watch_seconds: 10, total_watch_seconds: 60 });
  });

  it("open sessions count with their figures so far", async () => {
    const stream = await createStream();
    // Last event 1 minute ago: not final yet, but its 45 s are in the stream's figures.
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: new Date(Date.now() - 105_000), events: playing(45) });
    const s = await statsAfterAggregation(stream.id);
    expect(s).toMatchObject({ sessions: 1, total_watch_seconds: 45, peak_concurrent_viewers: 1 });
    const { rows } = await getPool().query("SELECT finalized_at FROM viewer_sessions WHERE stream_id = $1", [stream.id]);
    expect(rows[0].finalized_at).toBeNull();
  });
});
