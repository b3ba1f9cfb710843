// The KPI cards: the figures over every stream that matches the filters, for a range.
import { avgWatchSeconds, bufferRatio, errorRate, startupMsAvg } from "~/contract";
import { getPool } from "~/lib/db/pool";
import type { AnalyticsFilters } from "../filters";
import { filteredStreams, type RangeFigures } from "../sql";

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
