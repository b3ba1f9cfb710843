// What the admin stream page shows about Bunny for one stream: Bunny's views and watch time per
// day beside ours (stream_daily_stats), its countries and engagement score, both all-time totals,
// and how the last sync went. Read by the tRPC `bunny.forStream` query.
import { getPool } from "~/lib/db/pool";
import { bunnyConfig, missingBunnySettings } from "./config";

/** Days shown in the per-day table: the latest ones with figures from Bunny or from us. */
const REPORT_DAYS = 90;

export interface BunnyDay {
  day: string;
  bunnyViews: number | null;
  bunnyWatchSeconds: number | null;
  ownSessions: number | null;
  ownWatchSeconds: number | null;
}

export interface BunnyCountry {
  country: string;
  views: number;
  watchSeconds: number;
}

export interface BunnyReport {
  streamId: string;
  /** False for streams played from YouTube (or without a provider): nothing else applies. */
  isBunny: boolean;
  libraryId: string | null;
  videoGuid: string | null;
  /** Whether "Sync now" can work for this stream, and if not, what to set. */
  canSync: boolean;
  missing: string[];
  /** Why the stream cannot be synced, in words (null when it can). */
  syncBlockedReason: string | null;
  days: BunnyDay[];
  totals: {
    bunnyViews: number | null;
    bunnyWatchSeconds: number | null;
    ownWatchSeconds: number;
    /** max(own, Bunny) once synced (metrics.md "Bunny merge"). */
    totalWatchSeconds: number;
  };
  countries: BunnyCountry[];
  /** Views-weighted mean of Bunny's daily engagement scores. */
  engagementScore: number | null;
  dataFrom: string | null;
  dataTo: string | null;
  /** When Bunny's figures for the stream last changed here. */
  lastChangedAt: Date | null;
  lastRun: { at: Date; status: "succeeded" | "failed"; error: string | null } | null;
}

export async function bunnyReport(streamId: string): Promise<BunnyReport | null> {
  const pool = getPool();
  const { rows: providers } = await pool.query<{ provider: string | null; library_id: string | null; video_guid: string | null }>(
    `SELECT p.provider::text AS provider, nullif(trim(p.bunny_library_id), '') AS library_id,
            nullif(trim(p.bunny_video_guid), '') AS video_guid
       FROM streams s LEFT JOIN stream_providers p ON p.stream_id = s.id
      WHERE s.id = $1`,
    [streamId],
  );
  if (providers.length === 0) return null;
  const p = providers[0]!;
  const isBunny = p.provider === "bunny_stream";
  const empty: BunnyReport = {
    streamId,
    isBunny,
    libraryId: p.library_id,
    videoGuid: p.video_guid,
    canSync: false,
    missing: [],
    syncBlockedReason: isBunny ? null : "this stream is not played from Bunny Stream",
    days: [],
    totals: { bunnyViews: null, bunnyWatchSeconds: null, ownWatchSeconds: 0, totalWatchSeconds: 0 },
    countries: [],
    engagementScore: null,
    dataFrom: null,
    dataTo: null,
    lastChangedAt: null,
    lastRun: null,
  };
  if (!isBunny) return empty;

  let missing: string[] = [];
  let configError: string | null = null;
  try {
    const config = bunnyConfig();
    missing = await missingBunnySettings(config);
    if (!missing.includes("BUNNY_LIBRARY_ID") && !p.library_id && !config.libraryId) missing.push("BUNNY_LIBRARY_ID");
  } catch (err) {
    configError = err instanceof Error ? err.message : String(err);
  }
  const syncBlockedReason = configError
    ? configError
    : missing.length
      ? `Bunny sync is not configured: set ${missing.join(" and ")}`
      : !p.video_guid
        ? "this stream's Bunny provider has no video GUID"
        : null;

  const [days, countries, summary, stats, run] = await Promise.all([
    pool.query<{ day: string; bunny_views: number | null; bunny_watch: number | null; own_sessions: number | null; own_watch: number | null }>(
      `WITH last AS (
         SELECT greatest((SELECT max(day) FROM bunny_video_stats WHERE stream_id = $1),
                         (SELECT max(day) FROM stream_daily_stats WHERE stream_id = $1)) AS d
       ), b AS (
         SELECT day, views, watch_time_seconds FROM bunny_video_stats, last
          WHERE stream_id = $1 AND day > last.d - $2::int
       ), o AS (
         SELECT day, sessions, watch_seconds FROM stream_daily_stats, last
          WHERE stream_id = $1 AND day > last.d - $2::int
       )
       SELECT to_char(coalesce(b.day, o.day), 'YYYY-MM-DD') AS day, b.views AS bunny_views,
              b.watch_time_seconds AS bunny_watch, o.sessions AS own_sessions, o.watch_seconds AS own_watch
         FROM b FULL JOIN o ON o.day = b.day
        ORDER BY 1`,
      [streamId, REPORT_DAYS],
    ),
    pool.query<{ country: string; views: number; watch: number }>(
      `SELECT c.country, sum(c.views)::int AS views, sum(c.watch)::double precision AS watch
         FROM (SELECT v.key AS country, v.value::numeric AS views, coalesce((b.country_watch_time ->> v.key)::numeric, 0) AS watch
                 FROM bunny_video_stats b, jsonb_each_text(b.country_views) v
                WHERE b.stream_id = $1
               UNION ALL
               -- countries with watch time but no views entry
               SELECT w.key, 0, w.value::numeric
                 FROM bunny_video_stats b, jsonb_each_text(b.country_watch_time) w
                WHERE b.stream_id = $1 AND NOT b.country_views ? w.key) c
        GROUP BY c.country
        ORDER BY views DESC, watch DESC, c.country`,
      [streamId],
    ),
    pool.query<{ from_day: string | null; to_day: string | null; changed: Date | null; score: number | null }>(
      `SELECT to_char(min(day), 'YYYY-MM-DD') AS from_day, to_char(max(day), 'YYYY-MM-DD') AS to_day, max(synced_at) AS changed,
              CASE WHEN sum(views) FILTER (WHERE engagement_score IS NOT NULL) > 0
                   THEN sum(engagement_score * views) FILTER (WHERE engagement_score IS NOT NULL)
                        / sum(views) FILTER (WHERE engagement_score IS NOT NULL)
                   ELSE avg(engagement_score) END AS score
         FROM bunny_video_stats WHERE stream_id = $1`,
      [streamId],
    ),
    pool.query<{ own: number; bunny_watch: number | null; bunny_views: number | null; total: number }>(
      `SELECT own_watch_seconds AS own, bunny_watch_seconds AS bunny_watch, bunny_views, total_watch_seconds AS total
         FROM stream_stats WHERE stream_id = $1`,
      [streamId],
    ),
    // The latest finished run that concerned this stream: an unrestricted run, a run restricted to
    // it, or a failed run whose error names it or is not about particular streams.
    pool.query<{ finished_at: Date; status: "succeeded" | "failed"; error: string | null; figures: { failures?: { streamId: string; error: string }[] } }>(
      `SELECT finished_at, status::text AS status, error, figures FROM job_runs
        WHERE name = 'bunny-sync' AND status IN ('succeeded', 'failed') AND finished_at IS NOT NULL
          AND (CASE WHEN status = 'succeeded'
                    THEN figures->>'onlyStreams' IS NULL OR (',' || (figures->>'onlyStreams') || ',') LIKE '%,' || $1 || ',%'
                    ELSE position($1 || ':' IN coalesce(error, '')) > 0 OR coalesce(error, '') NOT LIKE 'Bunny sync failed for all%' END)
        ORDER BY finished_at DESC LIMIT 1`,
      [streamId],
    ),
  ]);

  const r = run.rows[0];
  let lastRun: BunnyReport["lastRun"] = null;
  if (r) {
    const own = r.figures.failures?.find((f) => f.streamId === streamId);
    lastRun = {
      at: r.finished_at,
      status: r.status === "failed" || own ? "failed" : "succeeded",
      error: own ? own.error : r.status === "failed" ? r.error : null,
    };
  }
  const s = stats.rows[0];
  const sum = summary.rows[0];
  return {
    ...empty,
    canSync: syncBlockedReason === null,
    missing,
    syncBlockedReason,
    days: days.rows.map((d) => ({
      day: d.day,
      bunnyViews: d.bunny_views,
      bunnyWatchSeconds: d.bunny_watch,
      ownSessions: d.own_sessions,
      ownWatchSeconds: d.own_watch,
    })),
    totals: {
      bunnyViews: s?.bunny_views ?? null,
      bunnyWatchSeconds: s?.bunny_watch ?? null,
      ownWatchSeconds: s?.own ?? 0,
      totalWatchSeconds: s?.total ?? 0,
    },
    countries: countries.rows.map((c) => ({ country: c.country, views: c.views, watchSeconds: c.watch })),
    engagementScore: sum?.score ?? null,
    dataFrom: sum?.from_day ?? null,
    dataTo: sum?.to_day ?? null,
    lastChangedAt: sum?.changed ?? null,
    lastRun,
  };
}
