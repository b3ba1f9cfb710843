// Concurrent viewers per stream per UTC minute (stream_concurrency), by a sweep line in SQL over
// the sessions' [started_at, ended_at] intervals: +1 at each start, −1 at each end, ends before
// starts at equal instants (so touching sessions do not overlap), and the running sum is the
// number of sessions holding that instant. A session with no duration (one event) holds its
// instant: its end sorts after the starts at that instant. A minute's figure is the peak within
// it, i.e. the largest level of any stretch of the sweep that touches the minute.
import type { PoolClient } from "pg";

/** The stretch of one stream to recompute. */
export interface StreamWindow {
  streamId: string;
  /** First and last instant whose figures may have changed (changed sessions' span). */
  from: Date;
  to: Date;
  /** Recompute everything of this stream (first run, --full, stats missing): drop rows outside too. */
  full: boolean;
}

type Query = Pick<PoolClient, "query">;

/**
 * The sweep line, as two CTEs over a CTE `s(started_at, ended_at)` of sessions: `sweep(t, level,
 * next_t)` holds the number of sessions holding each point `t` from there until `next_t`.
 */
const SWEEP_SQL = `pts AS (
       SELECT started_at AS t, 1 AS ord, 1 AS d FROM s
       UNION ALL
       SELECT ended_at, CASE WHEN ended_at > started_at THEN 0 ELSE 2 END, -1 FROM s
     ),
     sweep AS (
       SELECT t, sum(d) OVER w AS level, lead(t) OVER w AS next_t
       FROM pts
       WINDOW w AS (ORDER BY t, ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
     )`;

/**
 * Rewrites the stream's minutes that [from, to] touches. Only sessions overlapping those minutes
 * matter: a session that ended before them cannot hold an instant in them.
 */
export async function recomputeConcurrency(client: Query, w: StreamWindow): Promise<number> {
  if (w.full) {
    await client.query("DELETE FROM stream_concurrency WHERE stream_id = $1", [w.streamId]);
  } else {
    await client.query(
      `DELETE FROM stream_concurrency
       WHERE stream_id = $1 AND minute >= date_trunc('minute', $2::timestamptz) AND minute <= date_trunc('minute', $3::timestamptz)`,
      [w.streamId, w.from, w.to],
    );
  }
  const r = await client.query(
    `WITH win AS (
       SELECT date_trunc('minute', $2::timestamptz) AS lo, date_trunc('minute', $3::timestamptz) + interval '1 minute' AS hi
     ),
     s AS (
       SELECT v.started_at, v.ended_at FROM viewer_sessions v, win
       WHERE v.stream_id = $1 AND v.started_at < win.hi AND v.ended_at >= win.lo
     ),
     ${SWEEP_SQL}
     INSERT INTO stream_concurrency (stream_id, minute, viewers)
     SELECT $1, m, max(level)
     FROM sweep, win,
          -- the level holds from t until the next point: every minute in [t, next_t), at least t's own
          generate_series(
            greatest(date_trunc('minute', t), win.lo),
            least(greatest(date_trunc('minute', t), next_t - interval '1 millisecond'), win.hi - interval '1 minute'),
            interval '1 minute') AS m
     WHERE level > 0
     GROUP BY m`,
    [w.streamId, w.from, w.to],
  );
  return r.rowCount ?? 0;
}

/**
 * The stream's all-time peak and the first instant it was reached: the largest minute figure,
 * then a sweep over the sessions of the first minute that has it.
 */
export async function peakOf(client: Query, streamId: string): Promise<{ peak: number; at: Date | null }> {
  const { rows } = await client.query<{ peak: number | null; at: Date | null }>(
    `WITH top AS (
       SELECT minute, viewers FROM stream_concurrency WHERE stream_id = $1
       ORDER BY viewers DESC, minute ASC LIMIT 1
     ),
     s AS (
       SELECT v.started_at, v.ended_at FROM viewer_sessions v, top
       WHERE v.stream_id = $1 AND v.started_at < top.minute + interval '1 minute' AND v.ended_at >= top.minute
     ),
     ${SWEEP_SQL}
     SELECT (SELECT viewers FROM top) AS peak,
            (SELECT min(t) FROM sweep, top WHERE level >= top.viewers) AS at`,
    [streamId],
  );
  return { peak: rows[0]?.peak ?? 0, at: rows[0]?.at ?? null };
}
