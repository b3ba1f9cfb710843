// The streams table (and the CSV export): one page of the filtered streams with their figures over
// the range, in any column's order, and how many there are.
import type { QueryResultRow } from "pg";
import { avgWatchSecondsSql, bufferRatioSql, errorRateSql, startupMsAvgSql, type ProviderKind, type StreamStatus } from "~/contract";
import { getPool } from "~/lib/db/pool";
import { rangeInstants, type AnalyticsFilters, type SortDir, type StreamSortKey } from "../filters";
import { analyticsQuery, filteredStreams, type RangeFigures } from "../sql";

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

export interface StreamListOptions {
  sort: StreamSortKey;
  dir: SortDir;
  limit: number;
  offset: number;
}

export interface StreamsListResult {
  rows: StreamRangeStats[];
  total: number;
}

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

// Per-stream figures over the range: sums and the peak from the daily table (see ../sql.ts),
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

/** One page of the filtered streams with their figures over the range, and the total count. */
export async function streamsList(filters: AnalyticsFilters, opts: StreamListOptions): Promise<StreamsListResult> {
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
