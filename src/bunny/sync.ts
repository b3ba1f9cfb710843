// The bunny-sync job: for each stream played from Bunny Stream, fetch Bunny's statistics for the
// days since its last sync, keep one bunny_video_stats row per stream per day, then put Bunny's
// totals beside ours in stream_stats (metrics.md "Bunny merge"):
//   bunny_watch_seconds, bunny_views = Σ over the days Bunny reported
//   total_watch_seconds               = max(own_watch_seconds, bunny_watch_seconds)
// Each day is one request (dateFrom/dateTo = that UTC day), so a row's countries, engagement score
// and raw payload belong to that day alone. A stream whose requests fail is written nowhere,
// recorded in the run's figures and skipped; the others go on. Writes skip identical rows, so a
// second run over the same days changes nothing.
import { randomUUID } from "node:crypto";
import { getPool } from "~/lib/db/pool";
import { withTransaction } from "~/lib/db/transaction";
import { JobError, runJob, type JobContext, type JobFigures, type JobOutcome, type JobTrigger } from "~/jobs/runner";
import { BunnyClient } from "./client";
import { bunnyConfig, missingBunnySettings, missingMessage, type BunnyConfig } from "./config";
import { sumByDay } from "./statistics";

const FIRST_SYNC_DAYS = 30;
/** Longest range one run fetches for one stream (a backfill asks for more in several runs). */
const MAX_SYNC_DAYS = 366;
const DAY_MS = 86_400_000;

export interface BunnySyncOptions {
  config?: BunnyConfig;
  /** Backfill: both or neither, `YYYY-MM-DD`, inclusive (UTC days). */
  from?: string;
  to?: string;
  /** Only these streams (the admin page's "Sync now"); default every Bunny stream. */
  streamIds?: string[];
  now?: Date;
  /** Streams fetched at the same time (default 3: gentle on Bunny's rate limit). */
  concurrency?: number;
  client?: BunnyClient;
}

class BunnyNotConfiguredError extends JobError {
  constructor(readonly missing: string[]) {
    super(missingMessage(missing));
  }
}

class BunnyRangeError extends JobError {}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function isDay(s: string): boolean {
  return DAY_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysInRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Checks a backfill range; throws BunnyRangeError naming the bad field. */
export function checkRange(from: string | undefined, to: string | undefined, today: string): { from: string; to: string } | null {
  if (from === undefined && to === undefined) return null;
  if (from === undefined) throw new BunnyRangeError("from: missing (give --from and --to together, YYYY-MM-DD)");
  if (to === undefined) throw new BunnyRangeError("to: missing (give --from and --to together, YYYY-MM-DD)");
  if (!isDay(from)) throw new BunnyRangeError(`from: "${from}" is not a date (YYYY-MM-DD)`);
  if (!isDay(to)) throw new BunnyRangeError(`to: "${to}" is not a date (YYYY-MM-DD)`);
  if (from > to) throw new BunnyRangeError(`from: ${from} is after to ${to}`);
  if (from > today) throw new BunnyRangeError(`from: ${from} is in the future (today is ${today} UTC)`);
  const end = to > today ? today : to;
  const n = daysInRange(from, end).length;
  if (n > MAX_SYNC_DAYS) throw new BunnyRangeError(`from/to: ${n} days is more than ${MAX_SYNC_DAYS}; backfill in parts`);
  return { from, to: end };
}

interface StreamTarget {
  streamId: string;
  libraryId: string | null;
  videoGuid: string | null;
  lastDay: string | null;
}

interface DayRow {
  day: string;
  views: number;
  watchSeconds: number;
  countryViews: Record<string, number>;
  countryWatchSeconds: Record<string, number>;
  engagementScore: number | null;
  raw: unknown;
}

async function loadTargets(streamIds?: string[]): Promise<StreamTarget[]> {
  const { rows } = await getPool().query<{ stream_id: string; library_id: string | null; video_guid: string | null; last_day: string | null }>(
    `SELECT p.stream_id, nullif(trim(p.bunny_library_id), '') AS library_id, nullif(trim(p.bunny_video_guid), '') AS video_guid,
            (SELECT to_char(max(b.day), 'YYYY-MM-DD') FROM bunny_video_stats b WHERE b.stream_id = p.stream_id) AS last_day
       FROM stream_providers p
      WHERE p.provider = 'bunny_stream' AND ($1::text[] IS NULL OR p.stream_id = ANY($1))
      ORDER BY p.stream_id`,
    [streamIds ?? null],
  );
  return rows.map((r) => ({ streamId: r.stream_id, libraryId: r.library_id, videoGuid: r.video_guid, lastDay: r.last_day }));
}

/** Writes one stream's days and its stream_stats figures in one transaction; returns rows changed. */
async function writeStream(target: StreamTarget, libraryId: string, videoGuid: string, rows: DayRow[]): Promise<{ rowsChanged: number; statsChanged: boolean }> {
  return withTransaction(getPool(), async (client) => {
    const payload = rows.map((r) => ({
      id: randomUUID(),
      day: r.day,
      views: Math.round(r.views),
      watch: r.watchSeconds,
      cviews: r.countryViews,
      cwatch: r.countryWatchSeconds,
      score: r.engagementScore,
      raw: r.raw,
    }));
    const upsert = await client.query(
      `INSERT INTO bunny_video_stats AS b
              (id, stream_id, day, library_id, video_guid, views, watch_time_seconds, country_views,
               country_watch_time, engagement_score, raw_payload, synced_at)
       SELECT x.id, $1, x.day, $2, $3, x.views, x.watch, x.cviews, x.cwatch, x.score, x.raw, now()
         FROM jsonb_to_recordset($4::jsonb)
              AS x(id text, day date, views int, watch double precision, cviews jsonb, cwatch jsonb, score double precision, raw jsonb)
       ON CONFLICT (stream_id, day) DO UPDATE SET
              library_id = EXCLUDED.library_id, video_guid = EXCLUDED.video_guid, views = EXCLUDED.views,
              watch_time_seconds = EXCLUDED.watch_time_seconds, country_views = EXCLUDED.country_views,
              country_watch_time = EXCLUDED.country_watch_time, engagement_score = EXCLUDED.engagement_score,
              raw_payload = EXCLUDED.raw_payload, synced_at = now()
        WHERE (b.library_id, b.video_guid, b.views, b.watch_time_seconds, b.country_views, b.country_watch_time,
               b.engagement_score, b.raw_payload)
              IS DISTINCT FROM
              (EXCLUDED.library_id, EXCLUDED.video_guid, EXCLUDED.views, EXCLUDED.watch_time_seconds,
               EXCLUDED.country_views, EXCLUDED.country_watch_time, EXCLUDED.engagement_score, EXCLUDED.raw_payload)`,
      [target.streamId, libraryId, videoGuid, JSON.stringify(payload)],
    );
    // Bunny's totals over every day it has for the stream; a stream without a stream_stats row yet
    // gets one (own figures 0 until the aggregation job fills them in).
    const stats = await client.query(
      `INSERT INTO stream_stats AS s (stream_id, bunny_watch_seconds, bunny_views, total_watch_seconds)
       SELECT $1, t.watch, t.views, t.watch
         FROM (SELECT coalesce(sum(watch_time_seconds), 0)::double precision AS watch,
                      coalesce(sum(views), 0)::int AS views
                 FROM bunny_video_stats WHERE stream_id = $1) t
       ON CONFLICT (stream_id) DO UPDATE SET
              bunny_watch_seconds = EXCLUDED.bunny_watch_seconds,
              bunny_views = EXCLUDED.bunny_views,
              total_watch_seconds = greatest(s.own_watch_seconds, EXCLUDED.bunny_watch_seconds)
        WHERE (s.bunny_watch_seconds, s.bunny_views, s.total_watch_seconds)
              IS DISTINCT FROM
              (EXCLUDED.bunny_watch_seconds, EXCLUDED.bunny_views, greatest(s.own_watch_seconds, EXCLUDED.bunny_watch_seconds))`,
      [target.streamId],
    );
    return { rowsChanged: upsert.rowCount ?? 0, statsChanged: (stats.rowCount ?? 0) > 0 };
  });
}

/** The job's work (runJob wraps it): returns the run's figures. */
async function syncBunnyStats(ctx: Pick<JobContext, "progress">, opts: BunnySyncOptions = {}): Promise<JobFigures> {
  const config = opts.config ?? bunnyConfig();
  const missing = await missingBunnySettings(config);
  if (missing.length) throw new BunnyNotConfiguredError(missing);
  const now = opts.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const range = checkRange(opts.from, opts.to, today);
  const client =
    opts.client ?? new BunnyClient({ apiKey: config.apiKey!, apiUrl: config.apiUrl, watchTimeUnit: config.watchTimeUnit });

  const targets = await loadTargets(opts.streamIds);
  const failures: { streamId: string; error: string }[] = [];
  let synced = 0;
  let days = 0;
  let requests = 0;
  let rowsChanged = 0;
  let statsChanged = 0;

  const syncOne = async (t: StreamTarget) => {
    const libraryId = t.libraryId ?? config.libraryId;
    if (!libraryId) {
      failures.push({ streamId: t.streamId, error: "no Bunny library id: set BUNNY_LIBRARY_ID or the provider's library id" });
      return;
    }
    if (!t.videoGuid) {
      failures.push({ streamId: t.streamId, error: "the stream's Bunny provider has no video GUID" });
      return;
    }
    // Re-fetch the last synced day: it may have been synced before it was over.
    let from = range?.from ?? t.lastDay ?? addDays(today, -(FIRST_SYNC_DAYS - 1));
    const to = range?.to ?? today;
    if (from > to) from = to;
    if (!range && daysInRange(from, to).length > MAX_SYNC_DAYS) from = addDays(to, -(MAX_SYNC_DAYS - 1));
    const wanted = daysInRange(from, to);
    const rows: DayRow[] = [];
    try {
      for (const day of wanted) {
        requests++;
        const s = await client.getStatistics({
          libraryId,
          videoGuid: t.videoGuid,
          dateFrom: `${day}T00:00:00Z`,
          dateTo: `${day}T23:59:59Z`,
          hourly: false,
        });
        rows.push({
          day,
          views: sumByDay(s.views)[day] ?? 0,
          watchSeconds: sumByDay(s.watchSeconds)[day] ?? 0,
          countryViews: s.countryViews,
          countryWatchSeconds: s.countryWatchSeconds,
          engagementScore: s.engagementScore,
          raw: s.raw,
        });
      }
      const w = await writeStream(t, libraryId, t.videoGuid, rows);
      synced++;
      days += rows.length;
      rowsChanged += w.rowsChanged;
      if (w.statsChanged) statsChanged++;
      ctx.progress(`${t.streamId}: ${rows.length} day(s) ${from}..${to}, ${w.rowsChanged} changed`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failures.push({ streamId: t.streamId, error: message });
      ctx.progress(`${t.streamId}: skipped: ${message}`);
    }
  };

  // A small pool of workers over the streams: one slow or failing stream does not hold up the rest.
  const queue = [...targets];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 3, queue.length)) }, async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await syncOne(t);
  });
  await Promise.all(workers);

  failures.sort((a, b) => a.streamId.localeCompare(b.streamId));
  if (targets.length > 0 && synced === 0) {
    throw new JobError(
      `Bunny sync failed for all ${targets.length} stream(s): ${failures.map((f) => `${f.streamId}: ${f.error}`).join("; ")}`,
    );
  }
  return {
    streams: targets.length,
    synced,
    failed: failures.length,
    days,
    requests,
    rowsChanged,
    statsChanged,
    ...(range ? { from: range.from, to: range.to } : {}),
    // Which streams a restricted run covered, so a stream's page shows only runs about it.
    ...(opts.streamIds ? { onlyStreams: opts.streamIds.join(",") } : {}),
    failures,
  };
}

/**
 * Runs the job through runJob (job_runs row, lease). A bad range is refused here, before a
 * run is recorded (BunnyRangeError), so recorded failures are about Bunny or the database.
 */
export async function runBunnySync(
  trigger: JobTrigger,
  opts: BunnySyncOptions = {},
  onProgress?: (message: string) => void,
): Promise<JobOutcome> {
  checkRange(opts.from, opts.to, (opts.now ?? new Date()).toISOString().slice(0, 10));
  return runJob("bunny-sync", trigger, (ctx) => syncBunnyStats(ctx, opts), { onProgress });
}
