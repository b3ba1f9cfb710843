// npm run bench:aggregate [-- --scale 0.1] — the aggregation job on a big generated live event.
//
// Generates, straight into its own PostgreSQL database (created here, dropped afterwards), at
// scale 1: 1,000 streams, 200,000 sessions and 20 million events over 30 days — each stream live
// for 2–6 h on one day, 2% of them live right now — as ingestion leaves them (untimed): every
// session's figures from the spec's walk over its events with needs_rewalk = false (ingestion's
// walk, continued batch by batch in order, is that walk), and a share of them (FLAGGED_SHARE, 2%;
// `--flagged`) flagged by a late retry with provisional figures that are off; nothing finalized;
// with `--late L`, a share L of the viewers as the door leaves those whose batches came out of
// order: each session cut in two provisional sessions and the viewer flagged for re-sessionizing.
// Then, in the same run:
//   1. baseline: one plain SQL GROUP BY over the same events (distinct viewers, events, heartbeat
//      watch estimate, errors per stream — the plan's "admin stopgap");
//   2. full: the first aggregation run (every silent session finalized — the flagged ones walked
//      from their events, the others kept as ingestion walked them — and every stream's minutes,
//      days and stats);
//   3. incremental: 5 more minutes of events for the live streams (ongoing sessions go on, new
//      viewers join, as ingestion writes them; the late share of them cut and flagged), then the
//      next run;
//   4. full re-walk (`jobs:aggregate -- --full --rewalk`): every closed session walked again from
//      its events, finalized ones included — what a complete re-walk costs; no target.
// Targets on this machine (PASS/FAIL printed), with --late 0.02: full ≤ 1.0× the GROUP BY;
// incremental < 1 s.
import fs from "node:fs";
import os from "node:os";
import { createTestDatabase } from "~/test/testDatabase";
import { benchSizes, FLAGGED_SHARE, generateBenchData, indexBenchEvents, makeLateViewers, parseBenchArgs, settleBenchSessions } from "./benchData";

// The job logs every run at info; the table below says it all.
process.env.LOG_LEVEL ??= "warn";

const args = parseBenchArgs(
  "1",
  [
    "usage: npm run bench:aggregate [-- --scale S] [--flagged F] [--late L] [--keep]",
    "  --scale S    S = 1: 1,000 streams, 200,000 sessions, 20 M events (default 1)",
    `  --flagged F  share of sessions a late retry left flagged (needs_rewalk), walked when finalized (default ${FLAGGED_SHARE})`,
    "  --late L     share of viewers delivered out of order: their sessions cut in two by the door and flagged, re-sessionized by the job (default 0)",
    "  --keep       keep the generated database (its URL is printed) instead of dropping it",
  ],
  { flagged: String(FLAGGED_SHARE), late: "0" },
);
const scale = args.scale;
const flaggedShare = Number(args.extra.flagged);
const lateShare = Number(args.extra.late);
for (const [name, v] of [["flagged", flaggedShare], ["late", lateShare]] as const) {
  if (!(v >= 0 && v <= 1)) {
    console.error(`--${name} must be a share from 0 to 1, got ${args.extra[name]}`);
    process.exit(2);
  }
}

/** Events per session: 20 to 180, 100 on average (20 M events at scale 1). */
const sizes = benchSizes(scale);
const { streams: STREAMS, sessions: SESSIONS } = sizes;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  log(`${label}: ${seconds.toFixed(2)} s`);
  return { seconds, value };
}

/** VmHWM (peak resident memory) of this database's server processes, the largest one. */
function backendPeak(pids: number[]): number {
  let peak = 0;
  for (const pid of pids) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // Not on this machine's /proc (remote server): not reported.
    }
  }
  return peak;
}

const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(" ");
const bench = await createTestDatabase("streamscope_bench");
process.env.DATABASE_URL = bench.url;
const { getPool, closePool } = await import("~/lib/db/pool");
const { runAggregation } = await import("~/aggregation/job");
const pool = getPool();

try {
  log(`database ${bench.kind}; generating ${fmt(STREAMS)} streams, ${fmt(SESSIONS)} sessions, ~${fmt(SESSIONS * 100)} events over 30 days`);
  // Dataset "now" is 5 minutes ago: the incremental phase adds the last 5 minutes.
  const gen = await timed("generate", async () => {
    await generateBenchData(pool, sizes);
  });
  await timed("index events (3 indexes) + analyze", () => indexBenchEvents(pool));
  const settled = await timed(`sessions as ingestion leaves them (walked, ${(flaggedShare * 100).toFixed(1)}% flagged)`, () =>
    settleBenchSessions(pool, flaggedShare),
  );
  const late = await timed(`${(lateShare * 100).toFixed(1)}% of viewers delivered out of order (sessions cut in two, flagged)`, () =>
    makeLateViewers(pool, lateShare),
  );
  await pool.query("VACUUM ANALYZE viewer_sessions");
  const counts = (
    await pool.query<{ events: number; sessions: number; size: string }>(
      `SELECT (SELECT count(*) FROM playback_events)::bigint AS events, (SELECT count(*) FROM viewer_sessions)::bigint AS sessions,
              pg_size_pretty((SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = 'playback_events'::regclass)::bigint) AS size`,
    )
  ).rows[0]!;
  const events = Number(counts.events);
  log(
    `generated ${fmt(events)} events, ${fmt(Number(counts.sessions))} sessions (events table ${counts.size}) in ${gen.seconds.toFixed(0)} s; ` +
      `${fmt(settled.value)} sessions flagged needs_rewalk; ${fmt(late.value)} sessions of late viewers cut in two`,
  );

  // Warm the cache the same for both contenders.
  await timed("warm-up: count(*) over events", () => pool.query("SELECT count(*) FROM playback_events"));
  const baseline = await timed("baseline: plain GROUP BY over events", () =>
    pool.query(
      `SELECT stream_id, count(DISTINCT client_id) AS viewers, count(*) AS events,
              count(*) FILTER (WHERE type = 'heartbeat') * 15 AS watch_estimate,
              count(*) FILTER (WHERE type = 'error') AS errors
       FROM playback_events GROUP BY stream_id`,
    ),
  );

  const tempBefore = await pool.query<{ t: number }>("SELECT temp_bytes::bigint AS t FROM pg_stat_database WHERE datname = current_database()");
  const full = await timed("full aggregation (first run)", () => runAggregation("cli", { onProgress: (m) => log(`  ${m}`) }));
  if (full.value.status !== "succeeded") throw new Error(`full run ${full.value.status}: ${full.value.error ?? ""}`);
  const tempAfter = await pool.query<{ t: number }>("SELECT temp_bytes::bigint AS t FROM pg_stat_database WHERE datname = current_database()");

  // Five more minutes: every open session of the live streams goes on (20 heartbeats, all after its
  // last event), and new viewers join the live streams. Sessions are updated as ingestion does: the
  // grown ones continue the spec's walk from their stored state over the 20 heartbeats (computed
  // here rather than flagged: events after the last one keep needs_rewalk as it was, exact stays
  // exact) — the gap to the first heartbeat counts (capped at 30 s) while playing or buffering, a
  // heartbeat turns idle or paused into playing and keeps buffering, the other 19 gaps are 15 s; the
  // new viewers' play + 16 heartbeats are walked exactly (240 s, a play seen, playing).
  const inc = await timed("generate 5 minutes of new events", async () => {
    const grown = await pool.query(
      `WITH open AS (
         SELECT v.id, v.stream_id, v.client_id, v.ended_at, v.event_count, row_number() OVER (ORDER BY v.id)::int AS rn
         FROM viewer_sessions v JOIN streams s ON s.id = v.stream_id
         WHERE s.status = 'live' AND v.finalized_at IS NULL
       ),
       ins AS (
         INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
         SELECT o.stream_id, o.client_id, o.id, 100000000 + o.rn * 20 + j, 'heartbeat', now() - interval '5 minutes' + j * interval '15 seconds',
                0, j * 15, NULL
         FROM open o, generate_series(1, 20) j
         RETURNING session_id
       )
       UPDATE viewer_sessions v
       SET ended_at = now(), event_count = v.event_count + 20, updated_at = clock_timestamp(),
           watch_seconds = v.watch_seconds + 19 * 15 + CASE WHEN v.last_state IN ('playing', 'buffering') THEN c.first_gap ELSE 0 END,
           buffer_seconds = v.buffer_seconds + CASE WHEN v.last_state = 'buffering' THEN 19 * 15 + c.first_gap ELSE 0 END,
           last_state = CASE WHEN v.last_state = 'buffering' THEN 'buffering' ELSE 'playing' END::player_state
       FROM open o,
            LATERAL (SELECT least(extract(epoch FROM now() - interval '5 minutes' + interval '15 seconds' - o.ended_at)::float8, 30) AS first_gap) c
       WHERE v.id = o.id
       RETURNING v.id`,
    );
    const joined = await pool.query(
      `WITH s AS (
         INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, event_count, watch_seconds,
                                      last_state, saw_play, needs_rewalk, updated_at)
         SELECT st.id, 'late_' || st.id || '_' || n, now() - interval '4 minutes', now(), 'DE', 'mobile', 17, 240, 'playing', true, false,
                clock_timestamp()
         FROM streams st, generate_series(1, 10) n WHERE st.status = 'live'
         RETURNING id, stream_id, client_id, started_at
       )
       INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time)
       SELECT s.stream_id, s.client_id, s.id, j + 1, CASE WHEN j = 0 THEN 'play' ELSE 'heartbeat' END::event_type,
              s.started_at + j * interval '15 seconds', 0, j * 15
       FROM s, generate_series(0, 16) j`,
    );
    // The same share of the viewers with new events delivered them out of order.
    const lateGrown = await makeLateViewers(pool, lateShare, "v.updated_at > now() - interval '1 minute' AND v.ended_at > now() - interval '10 minutes'");
    return { grown: grown.rowCount ?? 0, newEvents: (grown.rowCount ?? 0) * 20 + (joined.rowCount ?? 0), lateGrown };
  });
  log(`  ${fmt(inc.value.grown)} live sessions grew, ${fmt(inc.value.newEvents)} new events; ${fmt(inc.value.lateGrown)} of them from late viewers, cut in two`);
  const incremental = await timed("incremental aggregation", () => runAggregation("cli", { onProgress: (m) => log(`  ${m}`) }));
  if (incremental.value.status !== "succeeded") throw new Error(`incremental run failed: ${incremental.value.error ?? ""}`);

  // What walking everything again costs (after a change to the walk rules): no target.
  const rewalk = await timed("full re-walk (--full --rewalk)", () => runAggregation("cli", { full: true, rewalk: true, onProgress: (m) => log(`  ${m}`) }));
  if (rewalk.value.status !== "succeeded") throw new Error(`re-walk run failed: ${rewalk.value.error ?? ""}`);

  const pids = (
    await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
  ).rows.map((r) => r.pid);
  const serverPeak = backendPeak(pids);

  const ratio = full.seconds / baseline.seconds;
  console.log("");
  console.log(`aggregation benchmark — scale ${scale}: ${fmt(STREAMS)} streams, ${fmt(Number(counts.sessions))} sessions, ${fmt(events)} events`);
  console.log("| run | seconds | events/s | notes |");
  console.log("| --- | ---: | ---: | --- |");
  console.log(`| baseline: plain GROUP BY over events | ${baseline.seconds.toFixed(2)} | ${fmt(events / baseline.seconds)} | ${baseline.value.rowCount} streams |`);
  const finalizeNote = (f: Record<string, unknown>) =>
    `${Number(f.resessionizedViewers) ? `${fmt(Number(f.resessionizedViewers))} late viewers re-sessionized (${fmt(Number(f.resessionizedEvents))} events, ${fmt(Number(f.mergedSessions))} sessions merged away); ` : ""}` +
    `${fmt(Number(f.finalizedSessions))} sessions finalized: ${fmt(Number(f.walkedSessions))} walked (${fmt(Number(f.walkedEvents))} events), ${fmt(Number(f.keptSessions))} kept`;
  const ff = full.value.figures;
  console.log(
    `| full aggregation | ${full.seconds.toFixed(2)} | ${fmt(events / full.seconds)} | ${finalizeNote(ff)}; ${ff.streams} streams, ${ff.concurrencyMinutes} minutes, ${ff.dailyRows} days |`,
  );
  const fi = incremental.value.figures;
  console.log(
    `| incremental (5 min of new events) | ${incremental.seconds.toFixed(2)} | ${fmt(inc.value.newEvents / incremental.seconds)} (new) | ${fi.streams} streams, ${fi.sessions} sessions, ${finalizeNote(fi)} |`,
  );
  const fr = rewalk.value.figures;
  console.log(
    `| full re-walk (--full --rewalk; no target) | ${rewalk.seconds.toFixed(2)} | ${fmt(events / rewalk.seconds)} | ${finalizeNote(fr)}; ${fr.streams} streams |`,
  );
  console.log("");
  console.log(`late viewers: ${(lateShare * 100).toFixed(1)}%; flagged sessions: ${(flaggedShare * 100).toFixed(1)}%`);
  console.log(`full / GROUP BY = ${ratio.toFixed(2)}× (target ≤ 1.0×): ${ratio <= 1 ? "PASS" : "FAIL"}`);
  console.log(`incremental = ${incremental.seconds.toFixed(2)} s (target < 1 s): ${incremental.seconds < 1 ? "PASS" : "FAIL"}`);
  console.log(`full re-walk / GROUP BY = ${(rewalk.seconds / baseline.seconds).toFixed(2)}× (no target: what walking every session again costs)`);
  console.log(
    `peak memory: bench process ${mb(peakRss)} RSS; largest PostgreSQL backend ${serverPeak ? mb(serverPeak) : "n/a"} (VmHWM, includes shared buffers it touched); ` +
      `spilled to temp files during the full run: ${mb(Number(tempAfter.rows[0]!.t) - Number(tempBefore.rows[0]!.t))}; load average before/after: ${loadBefore} / ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
} finally {
  clearInterval(sampler);
  await closePool();
  if (args.keep) console.log(`kept: ${bench.url}`);
  else await bench.drop();
}
