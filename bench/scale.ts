// npm run bench:scale [-- --scale 10] — PostgreSQL vs ClickHouse as the raw-event store, side by side.
//
// The data set is bench:aggregate's generator (bench/benchData.ts, shared, so both benchmarks
// generate the same events; sessions are left flagged needs_rewalk, not settled as ingestion leaves
// them, so each store's job walks every session from its events): at --scale 1 it is 1,000 streams, 200,000 sessions and
// 20 M events over 30 days; this benchmark's default is 10× that (200 M events), which does not fit
// a 2-core machine in reasonable time — pass a smaller --scale and say which one you ran.
//
// One run, its own PostgreSQL database and its own ClickHouse server (TEST_CLICKHOUSE_URL, or a
// private server under .data/clickhouse-bench), both dropped afterwards:
//   1. generate into PostgreSQL (+ its 4 event indexes), then copy into ClickHouse with the
//      backfill (npm run clickhouse:backfill's code) — load seconds and rows/s;
//   2. disk bytes per event (PostgreSQL: table + indexes + TOAST; ClickHouse: active parts after
//      OPTIMIZE … FINAL);
//   3. the same admin queries over raw events on each (plain GROUP BY per stream, a stream's
//      per-minute timeline, distinct viewers per day);
//   4. the same aggregation job (finalize every session from its events, then the per-stream
//      series and stats), once per store — and the stream_stats rows of the two runs compared.
// Peak memory: the largest private (RssAnon) resident memory of the database's server processes,
// sampled every 100 ms during each step, and this process's own RSS.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase } from "~/test/testDatabase";
import { benchSizes, generateBenchData, indexBenchEvents, parseBenchArgs } from "./benchData";

process.env.LOG_LEVEL ??= "warn";

const args = parseBenchArgs("10", [
  "usage: npm run bench:scale [-- --scale S] [--keep]",
  "  --scale S  bench:aggregate's scale: 1 = 1,000 streams, 200,000 sessions, 20 M events (default 10 = 200 M)",
]);
const scale = args.scale;

const sizes = benchSizes(scale);
const { streams: STREAMS, sessions: SESSIONS } = sizes;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---------------------------------------------------------------- memory sampling

function rssAnon(pid: number): number {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Step {
  store: "PostgreSQL" | "ClickHouse";
  step: string;
  seconds: number;
  rows: number;
  serverPeak: number;
  nodePeak: number;
  note?: string;
}
const steps: Step[] = [];

async function measure<T>(store: Step["store"], step: string, rows: number | ((v: T) => number), pids: () => number[], fn: () => Promise<T>, note?: (v: T) => string): Promise<T> {
  let serverPeak = 0;
  let nodePeak = 0;
  let current = pids();
  const refresh = setInterval(() => (current = pids()), 1000);
  const take = () => {
    for (const p of current) serverPeak = Math.max(serverPeak, rssAnon(p));
    nodePeak = Math.max(nodePeak, process.memoryUsage().rss);
  };
  take();
  const sample = setInterval(take, 100);
  const t0 = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - t0) / 1000;
    take();
    const n = typeof rows === "function" ? rows(value) : rows;
    steps.push({ store, step, seconds, rows: n, serverPeak, nodePeak, note: note?.(value) });
    log(`${store}: ${step}: ${seconds.toFixed(2)} s`);
    return value;
  } finally {
    clearInterval(refresh);
    clearInterval(sample);
  }
}

// ---------------------------------------------------------------- the two stores

const bench = await createTestDatabase("streamscope_bench");
process.env.DATABASE_URL = bench.url;
const root = path.resolve(import.meta.dirname, "..");
const chDir = path.join(root, ".data", "clickhouse-bench");
let chServer = process.env.TEST_CLICKHOUSE_URL?.trim() || "";
let chPid: number | null = null;
if (!chServer) {
  chServer = execFileSync("bash", [path.join(root, "scripts/clickhouse-local.sh"), "start", chDir, "18311"], { encoding: "utf8" }).trim().split("\n").pop()!;
  chPid = Number(fs.readFileSync(path.join(chDir, "pid"), "utf8"));
}
const chDatabase = `streamscope_bench_${Date.now().toString(36)}`;
const chUrl = `${chServer.replace(/\/+$/, "")}/${chDatabase}`;

const { getPool, closePool } = await import("~/lib/db/pool");
const { runAggregation } = await import("~/aggregation/job");
const { createClickHouse, chRows } = await import("~/lib/clickhouse/client");
const { migrateClickHouse } = await import("~/lib/clickhouse/migrate");
const { backfillClickHouse } = await import("~/lib/clickhouse/backfill");
const { closeClickHouse } = await import("~/lib/clickhouse/client");
const pool = getPool();
await migrateClickHouse(chUrl);
const ch = createClickHouse(chUrl, { longQueries: true });

const pgPids = async () => (await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).rows.map((r) => r.pid);
let pgPidList: number[] = [];
const pgPidTimer = setInterval(() => void pgPids().then((p) => (pgPidList = p)).catch(() => {}), 1000);
const pgServer = () => pgPidList;
const chServerPids = () => (chPid ? [chPid] : []);

try {
  log(`generating ${fmt(STREAMS)} streams, ${fmt(SESSIONS)} sessions, ~${fmt(SESSIONS * 100)} events over 30 days (scale ${scale})`);
  pgPidList = await pgPids();
  await measure("PostgreSQL", "load: generate events (INSERT … SELECT) + 3 indexes + keys table + VACUUM ANALYZE", 0, pgServer, async () => {
    await generateBenchData(pool, sizes);
    await pool.query("INSERT INTO playback_event_keys (client_id, seq, stored_at) SELECT client_id, seq, created_at FROM playback_events");
    await indexBenchEvents(pool);
    await pool.query("VACUUM ANALYZE playback_event_keys");
  });
  const counts = (
    await pool.query<{ events: number; sessions: number; bytes: number }>(
      `SELECT (SELECT count(*) FROM playback_events)::bigint AS events, (SELECT count(*) FROM viewer_sessions)::bigint AS sessions,
              ((SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = 'playback_events'::regclass)
               + pg_total_relation_size('playback_events') + pg_total_relation_size('playback_event_keys'))::bigint AS bytes`,
    )
  ).rows[0]!;
  const events = Number(counts.events);
  steps[steps.length - 1]!.rows = events;
  log(`generated ${fmt(events)} events, ${fmt(Number(counts.sessions))} sessions`);

  await measure("ClickHouse", "load: backfill from PostgreSQL (keyset pages of 100,000, JSONEachRow)", (r) => r.copied, chServerPids, () =>
    backfillClickHouse(pool, ch, { batchSize: 100_000, progress: (p) => p.copied % 2_000_000 < 100_000 && log(`  backfill ${fmt(p.copied)}/${fmt(p.total)} (${fmt(p.rowsPerSecond)}/s)`) }),
  );
  await measure("ClickHouse", "OPTIMIZE TABLE playback_events FINAL (merge parts, collapse copies)", events, chServerPids, () =>
    ch.command({ query: "OPTIMIZE TABLE playback_events FINAL" }),
  );
  const [chBytes] = await chRows<{ b: string; n: string }>(
    ch,
    "SELECT sum(bytes_on_disk) AS b, sum(rows) AS n FROM system.parts WHERE database = currentDatabase() AND table = 'playback_events' AND active",
  );
  const chCount = Number((await chRows<{ n: string }>(ch, "SELECT count() AS n FROM playback_events FINAL"))[0]!.n);
  if (chCount !== events) throw new Error(`ClickHouse holds ${chCount} events, PostgreSQL ${events}`);

  // ---- admin queries over raw events, the same question in each dialect
  const busiest = (await pool.query<{ stream_id: string }>("SELECT stream_id FROM viewer_sessions GROUP BY 1 ORDER BY sum(event_count) DESC LIMIT 1")).rows[0]!.stream_id;
  const queries: { name: string; pg: () => Promise<number>; ch: () => Promise<number>; rows: number }[] = [
    {
      name: "admin: per-stream GROUP BY over all events (viewers, events, watch estimate, errors)",
      rows: events,
      pg: async () =>
        (await pool.query(`SELECT stream_id, count(DISTINCT client_id) AS viewers, count(*) AS events,
                 count(*) FILTER (WHERE type = 'heartbeat') * 15 AS watch_estimate, count(*) FILTER (WHERE type = 'error') AS errors
               FROM playback_events GROUP BY stream_id`)).rowCount ?? 0,
      ch: async () =>
        (await chRows(ch, `SELECT stream_id, uniqExact(client_id) AS viewers, count() AS events,
                 countIf(type = 'heartbeat') * 15 AS watch_estimate, countIf(type = 'error') AS errors
               FROM playback_events FINAL GROUP BY stream_id`)).length,
    },
    {
      name: "admin: busiest stream's events per minute (timeline)",
      rows: 0,
      pg: async () =>
        (await pool.query(`SELECT date_trunc('minute', event_at) AS m, count(*) AS n, count(DISTINCT client_id) AS viewers
               FROM playback_events WHERE stream_id = $1 GROUP BY 1 ORDER BY 1`, [busiest])).rowCount ?? 0,
      ch: async () =>
        (await chRows(ch, `SELECT intDiv(event_ms, 60000) AS m, count() AS n, uniqExact(client_id) AS viewers
               FROM playback_events FINAL WHERE stream_id = '${busiest}' GROUP BY m ORDER BY m`)).length,
    },
    {
      name: "admin: distinct viewers per UTC day, all streams",
      rows: events,
      pg: async () =>
        (await pool.query(`SELECT (event_at AT TIME ZONE 'UTC')::date AS d, count(DISTINCT client_id) FROM playback_events GROUP BY 1`)).rowCount ?? 0,
      ch: async () =>
        (await chRows(ch, `SELECT toDate(toDateTime(intDiv(event_ms, 1000)), 'UTC') AS d, uniqExact(client_id) FROM playback_events FINAL GROUP BY d`)).length,
    },
  ];
  const busiestEvents = Number((await pool.query("SELECT count(*) AS n FROM playback_events WHERE stream_id = $1", [busiest])).rows[0].n);
  queries[1]!.rows = busiestEvents;
  // Warm both caches the same way first.
  await pool.query("SELECT count(*) FROM playback_events");
  await chRows(ch, "SELECT count() FROM playback_events");
  for (const q of queries) {
    await measure("PostgreSQL", q.name, q.rows, pgServer, q.pg, (n) => `${fmt(n)} result rows`);
    await measure("ClickHouse", q.name, q.rows, chServerPids, q.ch, (n) => `${fmt(n)} result rows`);
  }

  // ---- the aggregation job, once per store over the same sessions
  const snapshot = async () =>
    (await pool.query(`SELECT stream_id, unique_viewers, sessions, events, total_watch_seconds, avg_watch_seconds, peak_concurrent_viewers,
                              peak_concurrent_at, buffer_ratio, error_rate, startup_ms_avg, startup_ms_p95, top_countries, devices
                       FROM stream_stats ORDER BY stream_id`)).rows;
  const job = async () => {
    const out = await runAggregation("cli", { full: true });
    if (out.status !== "succeeded") throw new Error(`aggregation ${out.status}: ${out.error ?? ""}`);
    return out.figures;
  };
  const jobNote = (f: Record<string, unknown>) =>
    `${fmt(Number(f.finalizedSessions))} sessions finalized (${fmt(Number(f.walkedSessions))} walked, ${fmt(Number(f.keptSessions))} kept), ${fmt(Number(f.walkedEvents))} events walked, ${f.streams} streams`;
  delete process.env.CLICKHOUSE_URL;
  await measure("PostgreSQL", "aggregation job, full (finalize from raw events + series + stats)", events, pgServer, job, jobNote);
  const pgStats = await snapshot();
  // Back to "as the generator left them", so the ClickHouse run does the same work: figures of
  // the finalized sessions zeroed and flagged (needs_rewalk), so they must come back from
  // ClickHouse's events (the generator's sessions are all flagged: both runs walk every one).
  await pool.query(
    "UPDATE viewer_sessions SET finalized_at = NULL, watch_seconds = 0, buffer_seconds = 0, has_error = false, needs_rewalk = true, updated_at = now() WHERE finalized_at IS NOT NULL",
  );
  await pool.query("DELETE FROM stream_stats; DELETE FROM stream_daily_stats; DELETE FROM stream_concurrency; DELETE FROM job_runs");
  process.env.CLICKHOUSE_URL = chUrl;
  await measure("ClickHouse", "aggregation job, full (finalize from raw events + series + stats)", events, () => [...chServerPids(), ...pgPidList], job, jobNote);
  delete process.env.CLICKHOUSE_URL;
  const chStats = await snapshot();
  // Sums of float8 depend on the order PostgreSQL reads the sessions in (the runs rewrote them), so
  // numbers are compared to 1e-9 relative.
  const same = (x: unknown, y: unknown): boolean => {
    if (typeof x === "number" && typeof y === "number") return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
    if (x && y && typeof x === "object" && typeof y === "object" && !(x instanceof Date)) {
      const kx = Object.keys(x), ky = Object.keys(y);
      return kx.length === ky.length && kx.every((k) => same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
    }
    return JSON.stringify(x) === JSON.stringify(y);
  };
  const differing = pgStats.filter((r, i) => !same(r, chStats[i])).length;
  const live = new Set((await pool.query<{ id: string }>("SELECT id FROM streams WHERE status = 'live'")).rows.map((r) => r.id));
  const differingEnded = pgStats.filter((r, i) => !same(r, chStats[i]) && !live.has(String(r.stream_id))).length;
  const firstDiff = pgStats.findIndex((r, i) => !same(r, chStats[i]));
  if (firstDiff >= 0) {
    const a = pgStats[firstDiff] as Record<string, unknown>;
    const b = chStats[firstDiff] as Record<string, unknown>;
    log(`first difference, stream ${String(a.stream_id)}: ${Object.keys(a).filter((k) => !same(a[k], b[k])).map((k) => `${k} ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`).join("; ")}`);
  }

  // ---- the table
  const pgBytes = Number(counts.bytes);
  console.log("");
  console.log(`bench:scale — scale ${scale} of bench:aggregate (${fmt(STREAMS)} streams, ${fmt(Number(counts.sessions))} sessions, ${fmt(events)} events); ClickHouse ${(await chRows<{ v: string }>(ch, "SELECT version() AS v"))[0]!.v}, PostgreSQL ${(await pool.query("SHOW server_version")).rows[0].server_version}; ${process.env.TEST_CLICKHOUSE_URL ? "" : "private ClickHouse server; "}${execFileSync("nproc", { encoding: "utf8" }).trim()} cores`);
  console.log("| step | store | seconds | rows/s | server peak (RssAnon) | bench process peak RSS | notes |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | --- |");
  for (const s of steps) {
    console.log(`| ${s.step} | ${s.store} | ${s.seconds.toFixed(2)} | ${s.rows ? fmt(s.rows / s.seconds) : "–"} | ${s.serverPeak ? mb(s.serverPeak) : "n/a"} | ${mb(s.nodePeak)} | ${s.note ?? ""} |`);
  }
  console.log("");
  console.log(`disk per event: PostgreSQL ${(pgBytes / events).toFixed(1)} bytes (${mb(pgBytes)}: partitions, TOAST, their 4 indexes and the playback_event_keys dedup table); ClickHouse ${(Number(chBytes!.b) / events).toFixed(1)} bytes (${mb(Number(chBytes!.b))} in active parts, ${fmt(Number(chBytes!.n))} rows)`);
  console.log(
    `stream_stats after each store's run: ${pgStats.length} rows vs ${chStats.length}; ${differing} differ beyond float rounding, ` +
      `${differingEnded} of them among the ${pgStats.length - live.size} ended streams (live streams can differ legitimately: the 30-min finalize cut-off moves between the two runs)`,
  );
  console.log("server peak: the largest private resident memory (RssAnon) of one server process, sampled every 100 ms (PostgreSQL: backends of this database; ClickHouse: its server process, whose allocator keeps memory between queries); the ClickHouse aggregation row also samples PostgreSQL's backends, which do the sessions' part.");
} finally {
  clearInterval(pgPidTimer);
  delete process.env.CLICKHOUSE_URL;
  await ch.command({ query: `DROP DATABASE IF EXISTS ${chDatabase}` }).catch(() => {});
  await ch.close();
  await closeClickHouse();
  await closePool();
  if (chPid) execFileSync("bash", [path.join(root, "scripts/clickhouse-local.sh"), "stop", chDir]);
  if (args.keep) console.log(`kept: ${bench.url}`);
  else await bench.drop();
}
