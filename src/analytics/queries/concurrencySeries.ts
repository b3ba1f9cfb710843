// One stream's concurrent viewers per minute over a range (the REST API's minute series): the
// per-minute peaks the aggregation job wrote to stream_concurrency, the minutes without a row as 0.
import { getPool } from "~/lib/db/pool";

export interface MinutePoint {
  t: Date;
  viewers: number;
}

/** Every minute of [start, end): its peak of concurrent viewers (0 when nobody watched). */
export async function concurrencySeries(streamId: string, start: Date, end: Date): Promise<MinutePoint[]> {
  const { rows } = await getPool().query<{ t: Date; viewers: number }>(
    `SELECT m.t, coalesce(c.viewers, 0)::int AS viewers
     FROM generate_series(date_trunc('minute', $2::timestamptz), $3::timestamptz - interval '1 minute', interval '1 minute') AS m(t)
     LEFT JOIN stream_concurrency c ON c.stream_id = $1 AND c.minute = m.t
     ORDER BY m.t`,
    [streamId, start, end],
  );
  return rows;
}
