// The dashboard's chart: per UTC day of the range, distinct viewers, sessions and watch time.
import { getPool } from "~/lib/db/pool";
import type { AnalyticsFilters } from "../filters";
import { filteredStreams } from "../sql";

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
