// One stream's page: its all-time figures (stream_stats, as the aggregation job last wrote them),
// countries and devices, and its series over time (concurrency, daily figures, quality).
import { DEVICE_CLASSES, bufferRatioSql, errorRateSql, type DeviceClass, type ProviderKind, type StreamStatus } from "~/contract";
import { getPool } from "~/lib/db/pool";
import { db } from "~/lib/db/prisma";

// Charts stay readable (and the payload small) however long the stream's history is.
const MAX_POINTS = 720;

export interface CountryFigure {
  country: string;
  sessions: number;
  watchSeconds: number;
}

export interface DeviceFigure {
  device: DeviceClass;
  sessions: number;
}

export interface StreamDetail {
  stream: {
    id: string;
    title: string;
    status: StreamStatus;
    organizer: { id: string; name: string };
    provider: ProviderKind | null;
    isBunny: boolean;
    scheduledStartAt: Date | null;
    startedAt: Date | null;
    endedAt: Date | null;
  };
  /** Null until the aggregation job has seen the stream. */
  stats: {
    uniqueViewers: number;
    sessions: number;
    totalWatchSeconds: number;
    ownWatchSeconds: number;
    bunnyWatchSeconds: number | null;
    bunnyViews: number | null;
    avgWatchSeconds: number;
    peakConcurrent: number;
    peakConcurrentAt: Date | null;
    bufferRatio: number;
    errorRate: number;
    startupMsAvg: number | null;
    startupMsP95: number | null;
    firstSessionAt: Date | null;
    lastEventAt: Date | null;
    lastCalculatedAt: Date;
  } | null;
  countries: CountryFigure[];
  devices: DeviceFigure[];
  /** Per-minute peaks folded into buckets of `bucketMinutes` (the max of each bucket). */
  concurrency: { bucketMinutes: number; points: { t: Date; viewers: number }[] };
  daily: { day: string; viewers: number; sessions: number; watchSeconds: number; bufferRatio: number; errorRate: number; peakConcurrent: number }[];
  quality: { unit: "hour" | "day"; points: { t: Date; sessions: number; bufferRatio: number; errorRate: number; startupMsAvg: number | null }[] };
}

function parseCountries(value: unknown): CountryFigure[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null)
    .map((c) => ({ country: String(c.country ?? "ZZ"), sessions: Number(c.sessions ?? 0), watchSeconds: Number(c.watchSeconds ?? 0) }));
}

function parseDevices(value: unknown): DeviceFigure[] {
  const obj = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  return DEVICE_CLASSES.map((device) => ({ device, sessions: Number(obj[device] ?? 0) }));
}

/** One stream's all-time figures and its series over time; null for an unknown stream. */
export async function streamDetail(id: string): Promise<StreamDetail | null> {
  const stream = await db.stream.findUnique({
    where: { id },
    include: { organizer: { select: { id: true, name: true } }, provider: { select: { provider: true } }, stats: true },
  });
  if (!stream) return null;
  const pool = getPool();

  const [concurrency, daily, qoe] = await Promise.all([
    // Concurrent viewers: the per-minute peaks, folded into buckets of whole minutes (the max of
    // each bucket) and with the silent minutes between the first and last as zeros.
    pool.query<{ t: Date; viewers: number; bucket_minutes: number }>(
      `WITH b AS (
         SELECT min(minute) AS lo, max(minute) AS hi,
                greatest(1, ceil(extract(epoch FROM max(minute) - min(minute)) / 60 / $2))::int AS m
         FROM stream_concurrency WHERE stream_id = $1
       ),
       g AS (
         SELECT to_timestamp(floor(extract(epoch FROM c.minute) / (b.m * 60)) * b.m * 60) AS t, max(c.viewers) AS viewers
         FROM stream_concurrency c, b WHERE c.stream_id = $1 GROUP BY 1
       )
       SELECT s.t, coalesce(g.viewers, 0)::int AS viewers, b.m AS bucket_minutes
       FROM b, generate_series(to_timestamp(floor(extract(epoch FROM b.lo) / (b.m * 60)) * b.m * 60), b.hi, make_interval(mins => b.m)) AS s(t)
       LEFT JOIN g ON g.t = s.t
       WHERE b.lo IS NOT NULL
       ORDER BY s.t`,
      [stream.id, MAX_POINTS],
    ),
    // Daily figures, every day between the first and the last (zeros included).
    pool.query<{ day: string; viewers: number; sessions: number; watch_seconds: number; buffer_ratio: number; error_rate: number; peak_concurrent: number }>(
      `WITH b AS (SELECT min(day) AS lo, max(day) AS hi FROM stream_daily_stats WHERE stream_id = $1)
       SELECT to_char(s.day, 'YYYY-MM-DD') AS day, coalesce(d.viewers, 0) AS viewers, coalesce(d.sessions, 0) AS sessions,
              coalesce(d.watch_seconds, 0) AS watch_seconds,
              ${bufferRatioSql("d.buffer_seconds", "d.watch_seconds")} AS buffer_ratio,
              ${errorRateSql("d.error_sessions", "d.sessions")} AS error_rate,
              coalesce(d.peak_concurrent, 0) AS peak_concurrent
       FROM b, generate_series(b.lo, b.hi, interval '1 day') AS s(day)
       LEFT JOIN stream_daily_stats d ON d.stream_id = $1 AND d.day = s.day::date
       WHERE b.lo IS NOT NULL
       ORDER BY s.day`,
      [stream.id],
    ),
    // Quality over time by session start: hourly for a stream watched within three days, else daily.
    pool.query<{ t: Date; unit: string; sessions: number; buffer_ratio: number; error_rate: number; startup_ms_avg: number | null }>(
      `WITH b AS (
         SELECT CASE WHEN max(started_at) - min(started_at) <= interval '72 hours' THEN 'hour' ELSE 'day' END AS unit
         FROM viewer_sessions WHERE stream_id = $1
       )
       SELECT date_trunc(b.unit, v.started_at, 'UTC') AS t, b.unit, count(*)::int AS sessions,
              ${bufferRatioSql("sum(v.buffer_seconds)", "sum(v.watch_seconds)")} AS buffer_ratio,
              ${errorRateSql("count(*) FILTER (WHERE v.has_error)", "count(*)")} AS error_rate,
              avg(v.startup_ms)::float8 AS startup_ms_avg
       FROM viewer_sessions v, b WHERE v.stream_id = $1
       GROUP BY 1, 2 ORDER BY 1`,
      [stream.id],
    ),
  ]);

  const s = stream.stats;
  return {
    stream: {
      id: stream.id,
      title: stream.title,
      status: stream.status,
      organizer: stream.organizer,
      provider: stream.provider?.provider ?? null,
      isBunny: stream.provider?.provider === "bunny_stream",
      scheduledStartAt: stream.scheduledStartAt,
      startedAt: stream.startedAt,
      endedAt: stream.endedAt,
    },
    stats: s
      ? {
          uniqueViewers: s.uniqueViewers,
          sessions: s.sessions,
          totalWatchSeconds: s.totalWatchSeconds,
          ownWatchSeconds: s.ownWatchSeconds,
          bunnyWatchSeconds: s.bunnyWatchSeconds,
          bunnyViews: s.bunnyViews,
          avgWatchSeconds: s.avgWatchSeconds,
          peakConcurrent: s.peakConcurrentViewers,
          peakConcurrentAt: s.peakConcurrentAt,
          bufferRatio: s.bufferRatio,
          errorRate: s.errorRate,
          startupMsAvg: s.startupMsAvg,
          startupMsP95: s.startupMsP95,
          firstSessionAt: s.firstSessionAt,
          lastEventAt: s.lastEventAt,
          lastCalculatedAt: s.lastCalculatedAt,
        }
      : null,
    countries: parseCountries(s?.topCountries),
    devices: parseDevices(s?.devices),
    concurrency: {
      bucketMinutes: concurrency.rows[0]?.bucket_minutes ?? 1,
      points: concurrency.rows.map((r) => ({ t: r.t, viewers: r.viewers })),
    },
    daily: daily.rows.map((r) => ({
      day: r.day,
      viewers: r.viewers,
      sessions: r.sessions,
      watchSeconds: r.watch_seconds,
      bufferRatio: r.buffer_ratio,
      errorRate: r.error_rate,
      peakConcurrent: r.peak_concurrent,
    })),
    quality: {
      unit: (qoe.rows[0]?.unit ?? "hour") as "hour" | "day",
      points: qoe.rows.map((r) => ({
        t: r.t,
        sessions: r.sessions,
        bufferRatio: r.buffer_ratio,
        errorRate: r.error_rate,
        startupMsAvg: r.startup_ms_avg,
      })),
    },
  };
}
