// The job as cron and the CLI run it: runJob's lock and job_runs row, incremental selection.
// Every run here is scoped to this file's streams so it never touches other test files' rows.
// All runs of the aggregate job live in this one file: runs in parallel files would contend for
// the job's lock.
import { describe, expect, it } from "vitest";
import { getPool } from "~/lib/db/pool";
import { holdJobLease } from "~/jobs/lease.testkit";
import { createStream, uid } from "~/test/factories";
import { runAggregation } from "./job";
import { insertEvents, insertSession, minutesAgo, playing } from "./walk.testkit";

// Ingestion through its real endpoint: the Next.js route module's POST with a Web Request.
process.env.TRUST_PROXY = "1";
// The fixture says where its viewers are with Cloudflare's header, trusted here.
process.env.TRUSTED_GEO_HEADER = "cf-ipcountry";
const CHROME_DESKTOP =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let ip = 10;

async function postBatch(streamId: string, clientId: string, events: { type: string; ago: number; extra?: Record<string, unknown> }[], seq0: number) {
  const { POST } = await import("~/app/api/analytics/events/route");
  const now = Date.now();
  const body = JSON.stringify({
    streamId,
    clientId,
    sentAt: now,
    events: events.map((e, i) => ({ type: e.type, ts: now - e.ago * 1000, videoTime: i, seq: seq0 + i, ...(e.extra ? { extra: e.extra } : {}) })),
  });
  const res = await POST(
    new Request("http://localhost/api/analytics/events", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": CHROME_DESKTOP, "x-forwarded-for": `203.0.113.${ip++ % 250}`, "cf-ipcountry": "CH" },
      body,
    }),
  );
  expect(res.status).toBe(202);
  return res.json();
}

/** Everything the job writes for a stream, minus the write times (last_calculated_at, updated_at):
 * those move if a long transaction elsewhere holds the watermark back and the stream is redone. */
function playingAgo(ago: number, seconds: number) {
  return [{ type: "play", ago }, ...Array.from({ length: seconds / 15 }, (_, i) => ({ type: "heartbeat", ago: ago - 15 * (i + 1) }))];
}

async function snapshot(streamId: string) {
  const pool = getPool();
  const figures = (r: Record<string, unknown>) => {
    const { last_calculated_at: _l, updated_at: _u, ...rest } = r;
    return rest;
  };
  const s = await pool.query("SELECT * FROM stream_stats WHERE stream_id = $1", [streamId]);
  const d = await pool.query("SELECT * FROM stream_daily_stats WHERE stream_id = $1 ORDER BY day", [streamId]);
  const c = await pool.query("SELECT * FROM stream_concurrency WHERE stream_id = $1 ORDER BY minute", [streamId]);
  const v = await pool.query("SELECT * FROM viewer_sessions WHERE stream_id = $1 ORDER BY id", [streamId]);
  return { stats: s.rows[0] && figures(s.rows[0]), daily: d.rows.map(figures), minutes: c.rows, sessions: v.rows };
}

describe("the aggregation job", () => {
  it("ingests through POST /api/analytics/events, runs, and stream_stats holds the plan's expected outputs", async () => {
    const plain = await createStream();
    const buffering = await createStream();
    const failing = await createStream();
    const seq = Math.floor(Math.random() * 1_000_000);
    // One viewer, play + 4 heartbeats 15 s apart, 40 min ago (silent since: finalized by the run).
    const t = 40 * 60;
    await postBatch(plain.id, uid("viewer"), [
      { type: "play", ago: t, extra: { startupMs: 850 } },
      { type: "heartbeat", ago: t - 15 }, { type: "heartbeat", ago: t - 30 }, { type: "heartbeat", ago: t - 45 }, { type: "heartbeat", ago: t - 60 },
    ], seq);
    // Buffering 5 s once, in two batches, still live (last event 2 min ago).
    const b = uid("viewer");
    await postBatch(buffering.id, b, [{ type: "play", ago: 180 }, { type: "heartbeat", ago: 165 }, { type: "buffer_start", ago: 160 }], seq);
    await postBatch(buffering.id, b, [{ type: "buffer_end", ago: 155 }, { type: "heartbeat", ago: 150 }, { type: "heartbeat", ago: 135 }, { type: "heartbeat", ago: 120 }], seq + 3);
    // One viewer, one error.
    await postBatch(failing.id, uid("viewer"), [...playingAgo(t, 60), { type: "error", ago: t - 60, extra: { code: "fragLoadError" } }], seq);

    const out = await runAggregation("test", { streamIds: [plain.id, buffering.id, failing.id] });
    expect(out.status).toBe("succeeded");
    expect(out.figures).toMatchObject({ streams: 3, sessions: 3, events: 5 + 7 + 6, finalizedSessions: 2 });
    const stats = async (id: string) => (await getPool().query("SELECT * FROM stream_stats WHERE stream_id = $1", [id])).rows[0];
    expect(await stats(plain.id)).toMatchObject({
      unique_viewers: 1, sessions: 1, total_watch_seconds: 60, avg_watch_seconds: 60, peak_concurrent_viewers: 1,
      buffer_ratio: 0, error_rate: 0, startup_ms_avg: 850, startup_ms_p95: 850,
      top_countries: [{ country: "CH", sessions: 1, watchSeconds: 60 }],
      devices: { desktop: 1, mobile: 0, tablet: 0, tv: 0, other: 0 },
    });
    const bs = await stats(buffering.id);
    // Two batches: each one's times hang on its own receive time (ms apart, more on a busy machine).
    expect(bs).toMatchObject({ sessions: 1, peak_concurrent_viewers: 1 });
    expect(Math.abs(bs.total_watch_seconds - 60)).toBeLessThan(0.5);
    expect(Math.abs(bs.buffer_seconds - 5)).toBeLessThan(0.5);
    expect(Math.abs(bs.buffer_ratio - 5 / 60)).toBeLessThan(0.01);
    expect(await stats(failing.id)).toMatchObject({ sessions: 1, error_sessions: 1, error_rate: 1 });
  });

  it("records its run; a second run without new events changes nothing; new events are picked up", async () => {
    const a = await createStream();
    const b = await createStream();
    const scope = [a.id, b.id];
    await insertSession({ streamId: a.id, clientId: uid("c"), base: minutesAgo(90), events: playing(60), country: "DE" });
    await insertSession({ streamId: b.id, clientId: uid("c"), base: minutesAgo(90), events: playing(30) });

    const first = await runAggregation("test", { streamIds: scope });
    expect(first.status).toBe("succeeded");
    expect(first.figures).toMatchObject({ mode: "full", streams: 2, sessions: 2, events: 5 + 3, finalizedSessions: 2 });
    const { rows } = await getPool().query("SELECT name, trigger, status, figures FROM job_runs WHERE id = $1", [first.runId]);
    expect(rows[0]).toMatchObject({ name: "aggregate", trigger: "test", status: "succeeded" });
    expect(rows[0].figures).toMatchObject({ streams: 2, sessions: 2, events: 8 });
    expect(typeof rows[0].figures.seconds).toBe("number");

    const before = { a: await snapshot(a.id), b: await snapshot(b.id) };
    const second = await runAggregation("test", { streamIds: scope });
    expect(second.status).toBe("succeeded");
    expect(second.figures).toMatchObject({ mode: "incremental", finalizedSessions: 0 });
    expect({ a: await snapshot(a.id), b: await snapshot(b.id) }).toEqual(before);

    // A viewer joins stream b: only b is recomputed, and its figures move.
    const viewer = uid("c");
    const late = await insertSession({ streamId: b.id, clientId: viewer, base: minutesAgo(3), events: playing(45) });
    const third = await runAggregation("test", { streamIds: scope });
    expect(third.figures).toMatchObject({ mode: "incremental", streams: 1, sessions: 2 });
    expect((await snapshot(a.id)).stats).toEqual(before.a.stats);
    const b3 = (await snapshot(b.id)).stats;
    expect(b3).toMatchObject({ sessions: 2, unique_viewers: 2, total_watch_seconds: 75 });

    // The live session gets more events (ingestion bumps updated_at): figures follow.
    await insertEvents(b.id, viewer, late, minutesAgo(3), [{ type: "heartbeat", t: 60 }]);
    await getPool().query("UPDATE viewer_sessions SET watch_seconds = 60, event_count = 5, updated_at = now() WHERE id = $1", [late]);
    const fourth = await runAggregation("test", { streamIds: scope });
    expect(fourth.figures).toMatchObject({ streams: 1 });
    expect((await snapshot(b.id)).stats.total_watch_seconds).toBe(90);
  });

  it("a run while another holds the lock returns at once as skipped", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(90), events: playing(60) });
    const holder = await holdJobLease("aggregate");
    try {
      const t0 = performance.now();
      const out = await runAggregation("test", { streamIds: [stream.id] });
      expect(out.status).toBe("skipped");
      expect(performance.now() - t0).toBeLessThan(3000);
      const { rows } = await getPool().query("SELECT 1 FROM stream_stats WHERE stream_id = $1", [stream.id]);
      expect(rows).toHaveLength(0);
    } finally {
      await holder.release();
    }
    expect((await runAggregation("test", { streamIds: [stream.id] })).status).toBe("succeeded");
  });

  it("two runs started at once: one runs, the other is skipped, and the figures are those of one run", async () => {
    // On each database of the matrix (the embedded one shares one session among connections).
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(90), events: playing(120) });
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(89), events: playing(30) });
    const outs = await Promise.all([runAggregation("test", { streamIds: [stream.id] }), runAggregation("test", { streamIds: [stream.id] })]);
    expect(outs.map((o) => o.status).sort()).toEqual(["skipped", "succeeded"]);
    // 120 s + 30 s of playing; the second starts a minute into the first and ends within it → peak 2.
    expect((await snapshot(stream.id)).stats).toMatchObject({ sessions: 2, total_watch_seconds: 150, peak_concurrent_viewers: 2 });
    const { rows } = await getPool().query("SELECT status FROM job_runs WHERE id = ANY($1)", [outs.map((o) => o.runId)]);
    expect(rows.map((r) => r.status).sort()).toEqual(["skipped", "succeeded"]);
  });

  it("a stream whose recomputation fails keeps its previous figures (one transaction per stream)", async () => {
    const stream = await createStream();
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(90), events: playing(60) });
    expect((await runAggregation("test", { streamIds: [stream.id] })).status).toBe("succeeded");
    const before = await snapshot(stream.id);
    // A new session, and a trigger that makes the stream_stats write fail mid-transaction.
    await insertSession({ streamId: stream.id, clientId: uid("c"), base: minutesAgo(80), events: playing(30) });
    const fn = uid("fail_fn");
    await getPool().query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.stream_id = '${stream.id}' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$`);
    await getPool().query(`CREATE TRIGGER ${fn} BEFORE UPDATE ON stream_stats FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      const out = await runAggregation("test", { streamIds: [stream.id] });
      expect(out.status).toBe("failed");
      expect(out.error).toContain("disk full (test)");
    } finally {
      await getPool().query(`DROP TRIGGER ${fn} ON stream_stats`);
      await getPool().query(`DROP FUNCTION ${fn}()`);
    }
    const after = await snapshot(stream.id);
    expect(after.stats).toEqual(before.stats);
    expect(after.minutes).toEqual(before.minutes);
    expect(after.daily).toEqual(before.daily);
    // The failed run left no watermark behind: the next run does the work.
    const again = await runAggregation("test", { streamIds: [stream.id] });
    expect(again.figures).toMatchObject({ streams: 1, sessions: 2 });
  });
});
