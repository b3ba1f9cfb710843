// The aggregation job (cron route, `npm run jobs:aggregate`, demo seed): re-sessionize the viewers
// the door flagged (events out of order: resessionize.ts), finalize sessions silent for 30 min, then recompute the streams whose sessions changed since the last successful run —
// per-minute concurrency, daily series and the all-time stream_stats row — one transaction per
// stream, so a run that dies leaves every stream's previous figures whole. runJob records the run
// in job_runs and holds the job's lease: a second run meanwhile returns at once as skipped.
import type pg from "pg";
import { getPool } from "~/lib/db/pool";
import { withTransaction } from "~/lib/db/transaction";
import { runJob, type JobContext, type JobFigures, type JobOutcome, type JobTrigger } from "~/jobs/runner";
import { changedStreams, previousWatermark, scopeKey, takeWatermark } from "./changes";
import { recomputeConcurrency, type StreamWindow } from "./concurrency";
import { recomputeDaily } from "./daily";
import { FINALIZE_AFTER_MS, finalizeSessions } from "./finalize";
import { forEachParallel } from "./parallel";
import { resessionize } from "./resessionize";
import { recomputeStreamStats } from "./streamStats";

/** Two connections: this machine class has two cores, and the job shares them with ingestion. */
const DEFAULT_CONCURRENCY = 2;

export interface AggregateOptions {
  /** Recompute every stream whole, ignoring the previous run's watermark. */
  full?: boolean;
  /**
   * Walk every session being finalized from its events, even those ingestion's walk left exact
   * (needs_rewalk false). With `full`, every closed session is re-finalized from its events,
   * finalized ones included (after a change to the walk rules, or to verify the kept figures).
   */
  rewalk?: boolean;
  /** Only these streams (tests, the demo seed); such runs keep their own watermark. */
  streamIds?: string[] | null;
  /** Sessions per finalization statement. */
  finalizeBatch?: number;
  /** Connections working at once (finalization batches, streams). Default 2. */
  concurrency?: number;
  onProgress?: (message: string) => void;
}

export interface StreamFigures {
  sessions: number;
  events: number;
  minutes: number;
  days: number;
}

/** Recomputes one stream's series and stats in one transaction (one snapshot for all three). */
export async function recomputeStream(pool: pg.Pool, w: StreamWindow): Promise<StreamFigures> {
  try {
    return await withTransaction(
      pool,
      async (client) => {
        const minutes = await recomputeConcurrency(client, w);
        const days = await recomputeDaily(client, w);
        const { sessions, events } = await recomputeStreamStats(client, w.streamId);
        return { sessions, events, minutes, days };
      },
      // No WAL flush per stream: the run's closing job_runs update is an ordinary commit, which
      // flushes these too; a crash before it loses at most stats the next run recomputes anyway.
      { isolation: "repeatable read", settings: { synchronous_commit: "off" } },
    );
  } catch (err) {
    throw new Error(`stream ${w.streamId}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** The job's work, given runJob's context. */
export async function aggregate(ctx: Pick<JobContext, "progress">, opts: AggregateOptions = {}): Promise<JobFigures> {
  const pool = getPool();
  const streamIds = opts.streamIds ?? null;
  const scope = scopeKey(streamIds);
  const since = opts.full ? null : await previousWatermark(pool, scope);
  const mode = since ? "incremental" : "full";
  const rewalk = opts.rewalk ?? false;
  ctx.progress(
    (since ? `incremental: sessions changed since ${since.toISOString()}` : "full: every stream") +
      (rewalk ? (since ? "; re-walking every session to finalize" : "; re-walking every closed session, finalized ones included") : ""),
  );

  // First the sessions the door cut in arrival order made exact (flagged viewers only), so that
  // finalizing closes exact sessions and the streams' figures are recomputed over them.
  const resessionized = await resessionize(pool, { streamIds, concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY });
  if (resessionized.viewers) {
    ctx.progress(
      `re-sessionized ${resessionized.viewers} flagged viewers: ${resessionized.before} sessions became ${resessionized.after} ` +
        `(${resessionized.merged} merged away, ${resessionized.created} split off; ${resessionized.events} events read)`,
    );
  }

  const { rows } = await pool.query<{ cutoff: Date }>("SELECT now() - make_interval(secs => $1) AS cutoff", [FINALIZE_AFTER_MS / 1000]);
  const finalized = await finalizeSessions(pool, {
    cutoff: rows[0]!.cutoff,
    streamIds,
    since: since ?? new Date(0),
    batchSize: opts.finalizeBatch,
    concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
    rewalk,
    all: rewalk && !since,
    progress: ctx.progress,
  });

  // Taken after finalizing, so the sessions this run finalized do not count as changed next time.
  const watermark = await takeWatermark(pool);
  const windows = await changedStreams(pool, since, streamIds);
  ctx.progress(
    `${finalized.sessions} sessions finalized (${finalized.walked} walked from their events, ${finalized.kept} kept); ${windows.length} streams to recompute`,
  );

  const totals = { sessions: 0, events: 0, minutes: 0, days: 0 };
  let lastReport = performance.now();
  let done = 0;
  await forEachParallel(windows, opts.concurrency ?? DEFAULT_CONCURRENCY, async (w) => {
    const f = await recomputeStream(pool, w);
    totals.sessions += f.sessions;
    totals.events += f.events;
    totals.minutes += f.minutes;
    totals.days += f.days;
    done++;
    if (performance.now() - lastReport > 2000 || done === windows.length) {
      lastReport = performance.now();
      ctx.progress(`streams: ${done}/${windows.length} (${totals.sessions} sessions, ${totals.minutes} minutes)`);
    }
  });

  return {
    mode,
    rewalk,
    scope,
    since: since?.toISOString() ?? null,
    watermark: watermark.toISOString(),
    streams: windows.length,
    sessions: totals.sessions,
    events: totals.events,
    finalizedSessions: finalized.sessions,
    walkedSessions: finalized.walked,
    keptSessions: finalized.kept,
    splitSessions: finalized.splits,
    walkedEvents: finalized.events,
    resessionizedViewers: resessionized.viewers,
    resessionizedEvents: resessionized.events,
    mergedSessions: resessionized.merged,
    splitOffSessions: resessionized.created,
    concurrencyMinutes: totals.minutes,
    dailyRows: totals.days,
  };
}

export function runAggregation(trigger: JobTrigger, opts: AggregateOptions = {}): Promise<JobOutcome> {
  return runJob("aggregate", trigger, (ctx) => aggregate(ctx, opts), { onProgress: opts.onProgress });
}
