// The all-time row per stream (stream_stats), figures per docs/metrics.md "Per-stream
// figures", over every session of the stream; open sessions count with their figures so far.
// Peak concurrency comes from stream_concurrency (recompute it first, in the same transaction).
// Bunny's columns are never written here: total_watch_seconds = max(own, Bunny) once a Bunny sync
// has set bunny_watch_seconds, else our own figure.
import type { PoolClient } from "pg";
import { UNKNOWN_COUNTRY, avgWatchSecondsSql, bufferRatioSql, deviceCountsSql, errorRateSql } from "~/contract";
import { peakOf } from "./concurrency";

type Query = Pick<PoolClient, "query">;

/** Upserts the stream's row; returns its session and event counts (0 when it has no sessions). */
export async function recomputeStreamStats(client: Query, streamId: string): Promise<{ sessions: number; events: number }> {
  const peak = await peakOf(client, streamId);
  const { rows } = await client.query<{ sessions: number; events: number }>(
    `WITH s AS (
       SELECT * FROM viewer_sessions WHERE stream_id = $1
     ),
     a AS (
       SELECT count(DISTINCT client_id)::int AS unique_viewers,
              count(*)::int AS sessions,
              coalesce(sum(event_count), 0)::bigint AS events,
              coalesce(sum(watch_seconds), 0) AS watch,
              coalesce(sum(buffer_seconds), 0) AS buffer,
              count(*) FILTER (WHERE has_error)::int AS error_sessions,
              avg(startup_ms)::float8 AS startup_avg,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY startup_ms) AS startup_p95,
              min(started_at) AS first_session_at,
              max(ended_at) AS last_event_at
       FROM s
     ),
     countries AS (
       SELECT coalesce(jsonb_agg(jsonb_build_object('country', country, 'sessions', n, 'watchSeconds', w)
                                 ORDER BY n DESC, w DESC, country), '[]'::jsonb) AS top
       FROM (SELECT coalesce(nullif(trim(country), ''), '${UNKNOWN_COUNTRY}') AS country, count(*)::int AS n, round(sum(watch_seconds)::numeric, 3)::float8 AS w
             FROM s GROUP BY 1) c
     ),
     devices AS (
       SELECT ${deviceCountsSql()} AS d
       FROM s
     )
     INSERT INTO stream_stats AS t (stream_id, unique_viewers, sessions, events, total_watch_seconds, own_watch_seconds,
       avg_watch_seconds, peak_concurrent_viewers, peak_concurrent_at, buffer_seconds, buffer_ratio, error_sessions,
       error_rate, startup_ms_avg, startup_ms_p95, top_countries, devices, first_session_at, last_event_at, last_calculated_at)
     SELECT $1, a.unique_viewers, a.sessions, a.events, a.watch, a.watch,
            ${avgWatchSecondsSql("a.watch", "a.sessions")}, $2, $3, a.buffer,
            ${bufferRatioSql("a.buffer", "a.watch")},
            a.error_sessions, ${errorRateSql("a.error_sessions", "a.sessions")}, a.startup_avg, a.startup_p95,
            countries.top, devices.d, a.first_session_at, a.last_event_at, now()
     FROM a, countries, devices
     WHERE a.sessions > 0
     ON CONFLICT (stream_id) DO UPDATE SET
       unique_viewers = EXCLUDED.unique_viewers,
       sessions = EXCLUDED.sessions,
       events = EXCLUDED.events,
       own_watch_seconds = EXCLUDED.own_watch_seconds,
       total_watch_seconds = CASE WHEN t.bunny_watch_seconds IS NULL THEN EXCLUDED.own_watch_seconds
                                  ELSE greatest(EXCLUDED.own_watch_seconds, t.bunny_watch_seconds) END,
       avg_watch_seconds = EXCLUDED.avg_watch_seconds,
       peak_concurrent_viewers = EXCLUDED.peak_concurrent_viewers,
       peak_concurrent_at = EXCLUDED.peak_concurrent_at,
       buffer_seconds = EXCLUDED.buffer_seconds,
       buffer_ratio = EXCLUDED.buffer_ratio,
       error_sessions = EXCLUDED.error_sessions,
       error_rate = EXCLUDED.error_rate,
       startup_ms_avg = EXCLUDED.startup_ms_avg,
       startup_ms_p95 = EXCLUDED.startup_ms_p95,
       top_countries = EXCLUDED.top_countries,
       devices = EXCLUDED.devices,
       first_session_at = EXCLUDED.first_session_at,
       last_event_at = EXCLUDED.last_event_at,
       last_calculated_at = EXCLUDED.last_calculated_at
     RETURNING sessions, events`,
    [streamId, peak.peak, peak.at],
  );
  return rows[0] ? { sessions: rows[0].sessions, events: Number(rows[0].events) } : { sessions: 0, events: 0 };
}
