// SQL behind the analytics procedures and the CSV export. Reads only what the aggregation job
// writes (see contracts: stream_daily_stats for sums, viewer_sessions for distinct viewers and
// percentiles) — a range's unique viewers are counted distinct, peaks are a MAX, never a sum.
// Peaks: the contract's MAX(stream_concurrency.viewers) over the range. Ranges are whole UTC days
// and the job writes each day's peak_concurrent as the max of that day's minutes (a daily row for
// every day with a minute, src/aggregation/daily.ts), so MAX(peak_concurrent) over the range's days
// is the same number read from ~1 row per stream-day instead of ~1 per stream-minute.
import type { QueryResultRow } from "pg";
import { getPool } from "~/lib/db/pool";
import {
  avgWatchSeconds,
  avgWatchSecondsSql,
  bufferRatio,
  bufferRatioSql,
  errorRate,
  errorRateSql,
  startupMsAvg,
  startupMsAvgSql,
  type ProviderKind,
  type StreamStatus,
} from "~/contract";
import { rangeDays, rangeInstants, type AnalyticsFilters } from "./filters.schema";
import type { StreamSortKey } from "./streams.schema";

export type { StreamSortKey };


// Whitelisted ORDER BY expressions (column names never come from the input).
const sortSql: Record<StreamSortKey, string> = {
  title: "lower(title)",
  organizer: "lower(organizer_name)",
  startedAt: "coalesce(started_at, scheduled_start_at)",
  uniqueViewers: "unique_viewers",
  sessions: "sessions",
  watchSeconds: "watch_seconds",
  avgWatchSeconds: "avg_watch_seconds",
  peakConcurrent: "peak_concurrent",
  bufferRatio: "buffer_ratio",
  errorRate: "error_rate",
  startupMsAvg: "startup_ms_avg",
};

/** The figures of docs/metrics.md over a date range (one stream or many). */
export interface RangeFigures {
  uniqueViewers: number;
  sessions: number;
  watchSeconds: number;
  avgWatchSeconds: number;
  peakConcurrent: number;
  bufferRatio: number;
  errorRate: number;
  startupMsAvg: number | null;
  startupMsP95: number | null;
}

export interface StreamRangeStats extends RangeFigures {
  id: string;
  title: string;
  status: StreamStatus;
  organizerId: string;
  organizerName: string;
  provider: ProviderKind | null;
  scheduledStartAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
}

// Per-stream distinct viewers over a long range: PostgreSQL's cost model prefers hashing every
// (stream, client) pair of the range; reading them in order from the (stream_id, client_id,
// started_at) index and counting with a Unique step measured 3–4× faster on a year of 200,000
// sessions, so the streams list steers it there.
const LONG_RANGE_DAYS = 62;

async function analyticsQuery<R extends QueryResultRow>(filters: AnalyticsFilters, sql: string, params: unknown[]) {
  if (rangeDays(filters.from, filters.to) <= LONG_RANGE_DAYS) return getPool().query<R>(sql, params);
  const client = await getPool().connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL enable_hashagg = off");
    const res = await client.query<R>(sql, params);
    await client.query("COMMIT");
    return res;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Escapes LIKE wildcards so a title search matches what was typed. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The filtered streams as a CTE named `f` and its parameters ($1.. in order). Range parameters
 * are the first four: from day, to day, start instant, end instant (exclusive).
 */
function filteredStreams(filters: AnalyticsFilters) {
  const { start, end } = rangeInstants(filters.from, filters.to);
  const params: unknown[] = [filters.from, filters.to, start, end];
  const where: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.organizerId) where.push(`s.organizer_id = ${add(filters.organizerId)}`);
  if (filters.provider) where.push(`p.provider = ${add(filters.provider)}::provider_kind`);
  if (filters.status) where.push(`s.status = ${add(filters.status)}::stream_status`);
  if (filters.q) where.push(`s.title ILIKE ${add(likePattern(filters.q))}`);
  // Without a stream filter every stream matches: the per-table subqueries then skip the
  // IN (SELECT id FROM f) restriction, which lets PostgreSQL read the viewer indexes in order.
  const inF = where.length ? "AND stream_id IN (SELECT id FROM f)" : "";
  const cte = `f AS MATERIALIZED (
    SELECT s.id, s.title, s.status, s.organizer_id, o.name AS organizer_name, p.provider,
           s.scheduled_start_at, s.started_at, s.ended_at
    FROM streams s
    JOIN organizers o ON o.id = s.organizer_id
    LEFT JOIN stream_providers p ON p.stream_id = s.id
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
  )`;
  return { cte, params, add, inF };
}

// Per-stream figures over the range: sums and the peak from the daily table (see the top),
// distinct viewers from the sessions. A stream is listed when it had sessions in the range
// or started (or, not started yet, was scheduled to start) in it.
function perStreamSql(cte: string, inF: string) {
  return `WITH ${cte},
  d AS (
    SELECT stream_id, SUM(sessions)::float8 AS sessions, SUM(watch_seconds)::float8 AS watch_seconds,
           SUM(buffer_seconds)::float8 AS buffer_seconds, SUM(error_sessions)::float8 AS error_sessions,
           SUM(startup_ms_sum)::float8 AS startup_ms_sum, SUM(startup_sessions)::float8 AS startup_sessions,
           MAX(peak_concurrent) AS peak
    FROM stream_daily_stats
    WHERE day BETWEEN $1::date AND $2::date ${inF}
    GROUP BY stream_id
  ),
  u AS (
    SELECT stream_id, COUNT(*) AS unique_viewers
    FROM (SELECT DISTINCT stream_id, client_id FROM viewer_sessions
          WHERE started_at >= $3 AND started_at < $4 ${inF}) x
    GROUP BY stream_id
  ),
  r AS (
    SELECT f.*,
      coalesce(u.unique_viewers, 0)::int AS unique_viewers,
      coalesce(d.sessions, 0)::int AS sessions,
      coalesce(d.watch_seconds, 0) AS watch_seconds,
      ${avgWatchSecondsSql("d.watch_seconds", "d.sessions")} AS avg_watch_seconds,
      coalesce(d.peak, 0)::int AS peak_concurrent,
      ${bufferRatioSql("d.buffer_seconds", "d.watch_seconds")} AS buffer_ratio,
      ${errorRateSql("d.error_sessions", "d.sessions")} AS error_rate,
      ${startupMsAvgSql("d.startup_ms_sum", "d.startup_sessions")} AS startup_ms_avg
    FROM f
    LEFT JOIN d ON d.stream_id = f.id
    LEFT JOIN u ON u.stream_id = f.id
    WHERE d.stream_id IS NOT NULL OR u.stream_id IS NOT NULL
       OR (f.started_at >= $3 AND f.started_at < $4)
       OR (f.started_at IS NULL AND f.scheduled_start_at >= $3 AND f.scheduled_start_at < $4)
  )`;
}

interface StreamRow extends QueryResultRow {
  id: string;
  title: string;
  status: StreamStatus;
  organizer_id: string;
  organizer_name: string;
  provider: ProviderKind | null;
  scheduled_start_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
  unique_viewers: number;
  sessions: number;
  watch_seconds: number;
  avg_watch_seconds: number;
  peak_concurrent: number;
  buffer_ratio: number;
  error_rate: number;
  startup_ms_avg: number | null;
  total: number;
}

export interface StreamListOptions {
  sort: StreamSortKey;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** One page of the filtered streams with their figures over the range, and the total count. */
export async function listStreamStats(
  filters: AnalyticsFilters,
  opts: StreamListOptions,
): Promise<{ rows: StreamRangeStats[]; total: number }> {
  const { cte, params, add, inF } = filteredStreams(filters);
  const dir = opts.dir === "asc" ? "ASC" : "DESC";
  const limit = add(opts.limit);
  const offset = add(opts.offset);
  const sql = `${perStreamSql(cte, inF)}
    SELECT r.*, COUNT(*) OVER ()::int AS total FROM r
    ORDER BY ${sortSql[opts.sort]} ${dir} NULLS LAST, lower(title) ASC, id ASC
    LIMIT ${limit} OFFSET ${offset}`;
  const { rows } = await analyticsQuery<StreamRow>(filters, sql, params);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && opts.offset > 0) {
    // Past the last page: still report how many rows there are.
    const { rows: c } = await analyticsQuery<{ total: number }>(
      filters,
      `${perStreamSql(cte, inF)} SELECT COUNT(*)::int AS total FROM r`,
      params.slice(0, params.length - 2),
    );
    total = c[0]?.total ?? 0;
  }
  const p95 = await startupP95ByStream(filters, rows.map((r) => r.id));
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      organizerId: r.organizer_id,
      organizerName: r.organizer_name,
      provider: r.provider,
      scheduledStartAt: r.scheduled_start_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      uniqueViewers: r.unique_viewers,
      sessions: r.sessions,
      watchSeconds: r.watch_seconds,
      avgWatchSeconds: r.avg_watch_seconds,
      peakConcurrent: r.peak_concurrent,
      bufferRatio: r.buffer_ratio,
      errorRate: r.error_rate,
      startupMsAvg: r.startup_ms_avg,
      startupMsP95: p95.get(r.id) ?? null,
    })),
  };
}

/** p95 of startup_ms per stream over the range, for a page of streams. */
async function startupP95ByStream(filters: AnalyticsFilters, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { start, end } = rangeInstants(filters.from, filters.to);
  const { rows } = await getPool().query<{ stream_id: string; p95: number }>(
    `SELECT stream_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY startup_ms) AS p95
     FROM viewer_sessions
     WHERE stream_id = ANY($1::text[]) AND started_at >= $2 AND started_at < $3 AND startup_ms IS NOT NULL
     GROUP BY stream_id`,
    [ids, start, end],
  );
  return new Map(rows.map((r) => [r.stream_id, r.p95]));
}

export interface RangeTotals extends RangeFigures {
  streams: number;
}

/** The figures over every stream that matches the filters, for the range. */
export async function rangeTotals(filters: AnalyticsFilters): Promise<RangeTotals> {
  const { cte, params, inF } = filteredStreams(filters);
  const sql = `WITH ${cte},
    d AS (
      SELECT COUNT(DISTINCT stream_id)::int AS streams, coalesce(SUM(sessions), 0)::float8 AS sessions,
             coalesce(SUM(watch_seconds), 0)::float8 AS watch_seconds, coalesce(SUM(buffer_seconds), 0)::float8 AS buffer_seconds,
             coalesce(SUM(error_sessions), 0)::float8 AS error_sessions, coalesce(SUM(startup_ms_sum), 0)::float8 AS startup_ms_sum,
             coalesce(SUM(startup_sessions), 0)::float8 AS startup_sessions, coalesce(MAX(peak_concurrent), 0)::int AS peak
      FROM stream_daily_stats
      WHERE day BETWEEN $1::date AND $2::date ${inF}
    ),
    v AS (
      SELECT
        (SELECT COUNT(*) FROM (SELECT DISTINCT client_id FROM viewer_sessions
           WHERE started_at >= $3 AND started_at < $4 ${inF}) x)::int AS unique_viewers,
        (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY startup_ms) FROM viewer_sessions
           WHERE started_at >= $3 AND started_at < $4 AND startup_ms IS NOT NULL ${inF}) AS p95
    )
    SELECT d.*, v.unique_viewers, v.p95 FROM d, v`;
  const { rows } = await getPool().query<{
    streams: number;
    sessions: number;
    watch_seconds: number;
    buffer_seconds: number;
    error_sessions: number;
    startup_ms_sum: number;
    startup_sessions: number;
    peak: number;
    unique_viewers: number;
    p95: number | null;
  }>(sql, params);
  const r = rows[0]!;
  return {
    streams: r.streams,
    uniqueViewers: r.unique_viewers,
    sessions: r.sessions,
    watchSeconds: r.watch_seconds,
    avgWatchSeconds: avgWatchSeconds(r.watch_seconds, r.sessions),
    peakConcurrent: r.peak,
    bufferRatio: bufferRatio(r.buffer_seconds, r.watch_seconds),
    errorRate: errorRate(r.error_sessions, r.sessions),
    startupMsAvg: startupMsAvg(r.startup_ms_sum, r.startup_sessions),
    startupMsP95: r.p95,
  };
}

export interface DailyPoint {
  day: string;
  viewers: number;
  sessions: number;
  watchSeconds: number;
}

/** Per UTC day of the range (every day, zeros included): distinct viewers, sessions, watch time. */
export async function dailySeries(filters: AnalyticsFilters): Promise<DailyPoint[]> {
  const { cte, params, inF } = filteredStreams(filters);
  // Every stream: one small count per day, each an index range scan over (started_at, client_id),
  // far cheaper over a long range than hashing every (day, client) pair of the range.
  const perDay = `SELECT days.day, (
      SELECT COUNT(DISTINCT client_id) FROM viewer_sessions
      WHERE started_at >= (days.day::timestamp AT TIME ZONE 'UTC') AND started_at < ((days.day + 1)::timestamp AT TIME ZONE 'UTC')
        AND started_at >= $3 AND started_at < $4
    )::int AS viewers FROM days`;
  // Some streams: their sessions through the (stream_id, ...) indexes, then distinct (day, client).
  const byStream = `SELECT day, COUNT(*)::int AS viewers
      FROM (SELECT DISTINCT (started_at AT TIME ZONE 'UTC')::date AS day, client_id FROM viewer_sessions
            WHERE started_at >= $3 AND started_at < $4 ${inF}) x
      GROUP BY day`;
  const sql = `WITH ${cte},
    days AS (SELECT generate_series($1::date, $2::date, interval '1 day')::date AS day),
    d AS (
      SELECT day, SUM(sessions)::int AS sessions, SUM(watch_seconds)::float8 AS watch_seconds
      FROM stream_daily_stats
      WHERE day BETWEEN $1::date AND $2::date ${inF}
      GROUP BY day
    ),
    v AS (${inF ? byStream : perDay})
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(v.viewers, 0) AS viewers,
           coalesce(d.sessions, 0) AS sessions, coalesce(d.watch_seconds, 0) AS watch_seconds
    FROM days LEFT JOIN d ON d.day = days.day LEFT JOIN v ON v.day = days.day
    ORDER BY days.day`;
  const { rows } = await getPool().query<{ day: string; viewers: number; sessions: number; watch_seconds: number }>(sql, params);
  return rows.map((r) => ({ day: r.day, viewers: r.viewers, sessions: r.sessions, watchSeconds: r.watch_seconds }));
}
