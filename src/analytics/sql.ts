// What the admin queries (queries/*.ts, one per file) share: the filtered-streams CTE, the runner
// that plans long ranges without hash aggregation, and the figures every range query returns.
//
// The admin read model reads only PostgreSQL's aggregated tables (stream_stats,
// stream_daily_stats, stream_concurrency, viewer_sessions) and the catalogue, never raw playback
// events, so no query here has a ClickHouse variant (runQuery, src/lib/db/runQuery.ts, is for
// raw-event queries).
//
// Date ranges, as docs/metrics.md asks: a range's unique viewers are counted distinct over
// viewer_sessions, sums come from stream_daily_stats, peaks are a MAX, never a sum. Peaks: the
// contract's MAX(stream_concurrency.viewers) over the range. Ranges are whole UTC days and the job
// writes each day's peak_concurrent as the max of that day's minutes (a daily row for every day
// with a minute, src/aggregation/daily.ts), so MAX(peak_concurrent) over the range's days is the
// same number read from ~1 row per stream-day instead of ~1 per stream-minute.
import type { QueryResultRow } from "pg";
import { getPool } from "~/lib/db/pool";
import { withTransaction } from "~/lib/db/transaction";
import { rangeDays, rangeInstants, type AnalyticsFilters } from "./filters";

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

// Per-stream distinct viewers over a long range: PostgreSQL's cost model prefers hashing every
// (stream, client) pair of the range; reading them in order from the (stream_id, client_id,
// started_at) index and counting with a Unique step measured 3–4× faster on a year of 200,000
// sessions, so the streams list steers it there.
const LONG_RANGE_DAYS = 62;

/** Runs a range query; over a long range without hash aggregation (see above). */
export async function analyticsQuery<R extends QueryResultRow>(filters: AnalyticsFilters, sql: string, params: unknown[]) {
  const pool = getPool();
  if (rangeDays(filters.from, filters.to) <= LONG_RANGE_DAYS) return pool.query<R>(sql, params);
  return withTransaction(pool, (client) => client.query<R>(sql, params), { readOnly: true, settings: { enable_hashagg: "off" } });
}

/** Escapes LIKE wildcards so a title search matches what was typed. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The filtered streams as a CTE named `f` and its parameters ($1.. in order). Range parameters
 * are the first four: from day, to day, start instant, end instant (exclusive).
 */
export function filteredStreams(filters: AnalyticsFilters) {
  const { start, end } = rangeInstants(filters.from, filters.to);
  const params: unknown[] = [filters.from, filters.to, start, end];
  const where: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.organizerId) where.push(`s.organizer_id = ${add(filters.organizerId)}`);
  if (filters.streamId) where.push(`s.id = ${add(filters.streamId)}`);
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
