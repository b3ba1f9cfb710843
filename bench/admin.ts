// npm run bench:admin [-- --scale S] [--runs N] [--keep] — the admin tRPC queries over a year of
// 1,000 streams.
//
// Generates straight into its own PostgreSQL database (created here, dropped afterwards), at
// scale 1: 20 organizers, 1,000 streams spread over the last 365 days (each live 2–6 h on its day,
// 2% live now), 200,000 finalized viewer sessions from a pool of 60,000 returning viewers (10% of
// them replays on the following days), and what the aggregation job derives from them:
// stream_daily_stats, stream_concurrency (a per-stream sweep line) and stream_stats. Then times
// every analytics procedure through createCaller (the same code path as /api/trpc, minus HTTP)
// against the 200 ms target, next to a baseline measured in the same run: one full scan of
// viewer_sessions (SELECT count(DISTINCT client_id)).
import { parseArgs } from "node:util";
import { avgWatchSecondsSql, bufferRatioSql, deviceCountsSql, errorRateSql } from "~/contract";
import { createTestDatabase } from "~/test/testDatabase";

process.env.LOG_LEVEL ??= "warn";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "15" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("usage: npm run bench:admin [-- --scale S] [--runs N] [--keep]");
  console.log("  --scale S  S = 1: 1,000 streams and 200,000 sessions over a year (default 1)");
  console.log("  --runs N   timed runs per query after 3 warm-up runs (default 15)");
  console.log("  --keep     keep the generated database (its URL is printed)");
  process.exit(0);
}
const scale = Number(args.scale);
const runs = Number(args.runs);
if (!Number.isFinite(scale) || scale <= 0) {
  console.error(`--scale must be a positive number, got ${args.scale}`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got ${args.runs}`);
  process.exit(2);
}

const STREAMS = Math.max(10, Math.round(1000 * scale));
const SESSIONS = Math.max(100, Math.round(200_000 * scale));
const CLIENTS = Math.max(50, Math.round(60_000 * scale));
const TARGET_MS = 200;

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const bench = await createTestDatabase("streamscope_bench_admin");
process.env.DATABASE_URL = bench.url;
const { getPool, closePool } = await import("~/lib/db/pool");
const { disconnectPrisma } = await import("~/lib/db/prisma");
const { createCaller } = await import("~/server/api/root");
const { defaultRange, addDays } = await import("~/analytics/filters");
const pool = getPool();

async function generate() {
  const t0 = performance.now();
  await pool.query("SELECT setseed(0.42)");
  await pool.query(
    `INSERT INTO organizers (id, name, slug, updated_at)
     SELECT 'bench_org_' || i, 'Bench Organizer ' || lpad(i::text, 2, '0'), 'bench-org-' || i, now() FROM generate_series(1, 20) i`,
  );
  // Stream i starts on day (i · 365 / STREAMS) before today at 08:00–20:00; the last 2% are live now.
  await pool.query(
    `INSERT INTO streams (id, organizer_id, title, status, scheduled_start_at, started_at, ended_at, updated_at)
     SELECT 'bench_s' || i, 'bench_org_' || (1 + i % 20),
            (ARRAY['Final', 'Semi-final', 'Qualifier', 'Stage', 'Regatta', 'Night race', 'Gala', 'Derby'])[1 + i % 8] || ' ' || i,
            CASE WHEN i > $1 * 0.98 THEN 'live' ELSE 'ended' END::stream_status,
            st, st, CASE WHEN i > $1 * 0.98 THEN NULL ELSE st + dur END, now()
     FROM (SELECT i,
                  CASE WHEN i > $1 * 0.98 THEN now() - interval '1 hour' - random() * interval '2 hours'
                       ELSE date_trunc('day', now()) - ((($1 - i) * 365) / $1) * interval '1 day' + interval '8 hours' + random() * interval '12 hours' END AS st,
                  interval '2 hours' + random() * interval '4 hours' AS dur
           FROM generate_series(1, $1) i) g`,
    [STREAMS],
  );
  await pool.query(
    `INSERT INTO stream_providers (id, stream_id, provider, bunny_library_id, bunny_video_guid, bunny_playback_host, youtube_video_id, updated_at)
     SELECT 'bench_p' || substr(id, 8), id,
            CASE WHEN substr(id, 8)::int % 3 = 0 THEN 'youtube' ELSE 'bunny_stream' END::provider_kind,
            CASE WHEN substr(id, 8)::int % 3 = 0 THEN NULL ELSE '218441' END,
            CASE WHEN substr(id, 8)::int % 3 = 0 THEN NULL ELSE gen_random_uuid()::text END,
            CASE WHEN substr(id, 8)::int % 3 = 0 THEN NULL ELSE 'vz-bench.b-cdn.net' END,
            CASE WHEN substr(id, 8)::int % 3 = 0 THEN 'M7lc1UVf-VE' END, now()
     FROM streams WHERE id LIKE 'bench_s%'`,
  );
  // Sessions: streams get a skewed share (a few big events, many small ones); 90% start while the
  // stream is live, 10% are replays within the next three days.
  await pool.query(
    `WITH s AS (
       SELECT id, started_at, coalesce(ended_at, now()) AS ends, row_number() OVER (ORDER BY id) AS n FROM streams WHERE id LIKE 'bench_s%'
     ),
     w AS (SELECT id, started_at, ends, power(random(), 3) + 0.05 AS weight FROM s),
     share AS (SELECT id, started_at, ends, greatest(1, round($1 * weight / sum(weight) OVER ()))::int AS k FROM w),
     sess AS (
       SELECT share.id AS stream_id,
              CASE WHEN random() < 0.9 THEN share.started_at + random() * (share.ends - share.started_at)
                   ELSE share.ends + random() * interval '3 days' END AS started_at,
              random() AS r1, random() AS r2, random() AS r3
       FROM share, generate_series(1, share.k)
     )
     INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, browser, os, event_count,
                                  watch_seconds, buffer_seconds, has_error, startup_ms, last_state, finalized_at, updated_at)
     SELECT stream_id, 'bench_c' || floor(power(r1, 1.6) * $2)::int,
            least(started_at, now() - interval '2 minutes'),
            least(started_at, now() - interval '2 minutes') + make_interval(secs => w),
            (ARRAY['DE','FR','IT','CH','AT','US','GB','ES','NL','ZZ'])[1 + floor(r2 * 10)::int],
            (ARRAY['desktop','desktop','mobile','mobile','mobile','tablet','tv','other'])[1 + floor(r3 * 8)::int]::device_class,
            'Chrome', 'Windows', greatest(2, (w / 15)::int), w * 0.97, w * 0.03 * r2,
            r3 < 0.02, CASE WHEN r2 < 0.9 THEN 300 + (r1 * r3 * 4000)::int END, 'idle', now(), now()
     FROM (SELECT *, 30 + (-ln(1 - random() * 0.999) * 1200) AS w FROM sess) x`,
    [SESSIONS, CLIENTS],
  );
  // What the aggregation job derives (same definitions as src/aggregation).
  await pool.query(
    `INSERT INTO stream_daily_stats (stream_id, day, viewers, sessions, watch_seconds, buffer_seconds, error_sessions, startup_ms_sum, startup_sessions, peak_concurrent)
     SELECT stream_id, (started_at AT TIME ZONE 'UTC')::date, count(DISTINCT client_id), count(*), sum(watch_seconds), sum(buffer_seconds),
            count(*) FILTER (WHERE has_error), coalesce(sum(startup_ms), 0), count(startup_ms), 0
     FROM viewer_sessions GROUP BY 1, 2`,
  );
  await pool.query(
    `INSERT INTO stream_concurrency (stream_id, minute, viewers)
     WITH ev AS (
       SELECT stream_id, started_at AS t, 1 AS d FROM viewer_sessions
       UNION ALL SELECT stream_id, ended_at, -1 FROM viewer_sessions
     ),
     run AS (SELECT stream_id, t, sum(d) OVER (PARTITION BY stream_id ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS c FROM ev)
     SELECT stream_id, date_trunc('minute', t), max(c) FROM run GROUP BY 1, 2`,
  );
  await pool.query(
    // Like the job: a daily row for every day with a minute (sessions crossing midnight).
    `INSERT INTO stream_daily_stats (stream_id, day, peak_concurrent)
     SELECT stream_id, (minute AT TIME ZONE 'UTC')::date, max(viewers) FROM stream_concurrency GROUP BY 1, 2
     ON CONFLICT (stream_id, day) DO UPDATE SET peak_concurrent = EXCLUDED.peak_concurrent`,
  );
  await pool.query(
    `INSERT INTO stream_stats (stream_id, unique_viewers, sessions, events, total_watch_seconds, own_watch_seconds, avg_watch_seconds,
                               peak_concurrent_viewers, buffer_seconds, buffer_ratio, error_sessions, error_rate, startup_ms_avg, startup_ms_p95,
                               top_countries, devices, first_session_at, last_event_at)
     SELECT v.stream_id, count(DISTINCT client_id), count(*), sum(event_count), sum(watch_seconds), sum(watch_seconds),
            ${avgWatchSecondsSql("sum(watch_seconds)", "count(*)")},
            (SELECT max(viewers) FROM stream_concurrency c WHERE c.stream_id = v.stream_id),
            sum(buffer_seconds), ${bufferRatioSql("sum(buffer_seconds)", "sum(watch_seconds)")}, count(*) FILTER (WHERE has_error),
            ${errorRateSql("count(*) FILTER (WHERE has_error)", "count(*)")}, avg(startup_ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY startup_ms),
            (SELECT jsonb_agg(jsonb_build_object('country', country, 'sessions', n, 'watchSeconds', w) ORDER BY n DESC, w DESC)
               FROM (SELECT country, count(*) AS n, sum(watch_seconds) AS w FROM viewer_sessions x WHERE x.stream_id = v.stream_id GROUP BY country) c),
            ${deviceCountsSql()},
            min(started_at), max(ended_at)
     FROM viewer_sessions v GROUP BY v.stream_id`,
  );
  // A few viewers active right now on the live streams.
  await pool.query(
    `UPDATE viewer_sessions SET ended_at = now() - interval '5 seconds', finalized_at = NULL
     WHERE id IN (SELECT v.id FROM viewer_sessions v JOIN streams s ON s.id = v.stream_id AND s.status = 'live' ORDER BY random() LIMIT 200)`,
  );
  // As autovacuum leaves old, finalized sessions: visible to index-only scans.
  await pool.query("VACUUM ANALYZE");
  const counts = await pool.query<{ t: string; n: number }>(
    `SELECT 'streams' t, count(*)::int n FROM streams UNION ALL SELECT 'viewer_sessions', count(*) FROM viewer_sessions
     UNION ALL SELECT 'distinct viewers', count(DISTINCT client_id) FROM viewer_sessions
     UNION ALL SELECT 'stream_daily_stats', count(*) FROM stream_daily_stats UNION ALL SELECT 'stream_concurrency', count(*) FROM stream_concurrency`,
  );
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts.rows.map((r) => `${r.t} ${fmt(r.n)}`).join(", ")}`);
}

interface Result {
  name: string;
  median: number;
  p95: number;
  max: number;
  note: string;
}

async function time(name: string, fn: () => Promise<unknown>, note = ""): Promise<Result> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { name, median: at(0.5), p95: at(0.95), max: ms[ms.length - 1]!, note };
}

try {
  await generate();
  const caller = createCaller({ session: { user: { id: "bench", role: "admin", email: "bench@local" }, expires: "2999-01-01T00:00:00Z" } });
  const last30 = defaultRange();
  const year = { from: addDays(last30.to, -364), to: last30.to };
  const biggest = (await pool.query<{ stream_id: string; sessions: number }>("SELECT stream_id, sessions FROM stream_stats ORDER BY sessions DESC LIMIT 1")).rows[0]!;
  const typical = (await pool.query<{ stream_id: string; sessions: number }>(
    "SELECT stream_id, sessions FROM stream_stats ORDER BY sessions LIMIT 1 OFFSET (SELECT count(*) / 2 FROM stream_stats)",
  )).rows[0]!;

  const results: Result[] = [];
  const add = async (name: string, fn: () => Promise<unknown>, note = "") => {
    const r = await time(name, fn, note);
    results.push(r);
    log(`${name}: median ${r.median.toFixed(1)} ms`);
  };
  await add("baseline: SELECT count(DISTINCT client_id) FROM viewer_sessions", () => pool.query("SELECT count(DISTINCT client_id) FROM viewer_sessions"), "one full scan, for scale");
  await add("analytics.summary — last 30 days", () => caller.analytics.summary(last30));
  await add("analytics.summary — 1 year", () => caller.analytics.summary(year), "plus the year before, for deltas");
  await add("analytics.summary — 1 year, one organizer", () => caller.analytics.summary({ ...year, organizerId: "bench_org_7" }));
  await add("analytics.streams — last 30 days, by viewers", () => caller.analytics.streams({ ...last30 }));
  await add("analytics.streams — 1 year, by viewers, page 1", () => caller.analytics.streams({ ...year, sort: "uniqueViewers", dir: "desc" }));
  await add("analytics.streams — 1 year, by title, page 20", () => caller.analytics.streams({ ...year, sort: "title", dir: "asc", page: 20 }));
  await add("analytics.streams — 1 year, bunny + title search", () => caller.analytics.streams({ ...year, provider: "bunny_stream", q: "final", sort: "watchSeconds" }));
  await add(`analytics.stream — typical (${fmt(typical.sessions)} sessions)`, () => caller.analytics.stream({ id: typical.stream_id }));
  await add(`analytics.stream — biggest (${fmt(biggest.sessions)} sessions)`, () => caller.analytics.stream({ id: biggest.stream_id }));
  await add("analytics.live", () => caller.analytics.live());
  await add("analytics.organizers", () => caller.analytics.organizers());
  const { streamsCsv } = await import("~/analytics/csvExport");
  await add("CSV export — 1 year, every row", () => new Response(streamsCsv(year, { sort: "uniqueViewers", dir: "desc" })).text(), "not a tRPC query; for reference");

  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`\nadmin queries, ${STREAMS} streams, ${fmt(SESSIONS)} sessions over a year; ${runs} runs each after 3 warm-up runs; target ${TARGET_MS} ms (p95)\n`);
  console.log(`${"query".padEnd(width)}  median ms   p95 ms   max ms   vs target`);
  let failed = 0;
  for (const r of results) {
    const isQuery = r.name.startsWith("analytics.");
    const verdict = isQuery ? (r.p95 < TARGET_MS ? "ok" : "OVER") : "";
    if (verdict === "OVER") failed++;
    console.log(
      `${r.name.padEnd(width)}  ${r.median.toFixed(1).padStart(9)}  ${r.p95.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}   ${verdict.padEnd(4)} ${r.note}`,
    );
  }
  console.log(failed ? `\n${failed} tRPC quer${failed === 1 ? "y is" : "ies are"} over ${TARGET_MS} ms (p95).` : `\nevery tRPC query answers under ${TARGET_MS} ms (p95).`);
} finally {
  await disconnectPrisma();
  await closePool();
  if (args.keep) console.log(`kept: ${bench.url}`);
  else await bench.drop();
}
