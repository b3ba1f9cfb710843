// Per stream per UTC day (stream_daily_stats): the summable figures of the sessions that started
// that day, distinct viewers among them, and the day's peak concurrency (the largest minute of
// stream_concurrency that day, so call recomputeConcurrency first, in the same transaction).
// A date range's unique viewers are NOT the sum of these: the admin side counts them from
// viewer_sessions (docs/aggregation.md).
import type { PoolClient } from "pg";
import type { StreamWindow } from "./concurrency";

type Query = Pick<PoolClient, "query">;

/**
 * Rewrites the stream's days that [from, to] touches. A full window spans all the stream's
 * sessions, so those days hold everything; rows outside it (sessions gone) are dropped.
 */
export async function recomputeDaily(client: Query, w: StreamWindow): Promise<number> {
  if (w.full) {
    await client.query("DELETE FROM stream_daily_stats WHERE stream_id = $1", [w.streamId]);
  } else {
    await client.query(
      `DELETE FROM stream_daily_stats
       WHERE stream_id = $1 AND day BETWEEN ($2::timestamptz AT TIME ZONE 'UTC')::date AND ($3::timestamptz AT TIME ZONE 'UTC')::date`,
      [w.streamId, w.from, w.to],
    );
  }
  const r = await client.query(
    `WITH days AS (
       SELECT ($2::timestamptz AT TIME ZONE 'UTC')::date AS d0, ($3::timestamptz AT TIME ZONE 'UTC')::date AS d1
     ),
     s AS (
       SELECT (v.started_at AT TIME ZONE 'UTC')::date AS day,
              count(DISTINCT v.client_id)::int AS viewers,
              count(*)::int AS sessions,
              sum(v.watch_seconds) AS watch_seconds,
              sum(v.buffer_seconds) AS buffer_seconds,
              count(*) FILTER (WHERE v.has_error)::int AS error_sessions,
              coalesce(sum(v.startup_ms), 0)::float8 AS startup_ms_sum,
              count(v.startup_ms)::int AS startup_sessions
       FROM viewer_sessions v, days
       WHERE v.stream_id = $1
         AND v.started_at >= (days.d0::timestamp AT TIME ZONE 'UTC') AND v.started_at < ((days.d1 + 1)::timestamp AT TIME ZONE 'UTC')
       GROUP BY 1
     ),
     p AS (
       SELECT (c.minute AT TIME ZONE 'UTC')::date AS day, max(c.viewers) AS peak
       FROM stream_concurrency c, days
       WHERE c.stream_id = $1
         AND c.minute >= (days.d0::timestamp AT TIME ZONE 'UTC') AND c.minute < ((days.d1 + 1)::timestamp AT TIME ZONE 'UTC')
       GROUP BY 1
     )
     INSERT INTO stream_daily_stats (stream_id, day, viewers, sessions, watch_seconds, buffer_seconds, error_sessions,
       startup_ms_sum, startup_sessions, peak_concurrent, updated_at)
     SELECT $1, day, coalesce(s.viewers, 0), coalesce(s.sessions, 0), coalesce(s.watch_seconds, 0), coalesce(s.buffer_seconds, 0),
            coalesce(s.error_sessions, 0), coalesce(s.startup_ms_sum, 0), coalesce(s.startup_sessions, 0), coalesce(p.peak, 0), now()
     FROM s FULL JOIN p USING (day)`,
    [w.streamId, w.from, w.to],
  );
  return r.rowCount ?? 0;
}
