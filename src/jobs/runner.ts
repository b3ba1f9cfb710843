// Every job (aggregate, bunny-sync, retention, partitions) runs through runJob: one row in
// job_runs per run with its outcome and figures, and a lease (lease.ts) so two runs of the same job
// never interleave (a second run returns at once, recorded as `skipped`) and a run that dies holds
// the job only until its lease lapses.
import type pg from "pg";
import { getPool } from "~/lib/db/pool";
import { log } from "~/lib/log";
import { metrics } from "~/lib/metrics";
import { acquireLease, DEFAULT_LEASE_MS } from "./lease";

export type JobName = "aggregate" | "bunny-sync" | "retention" | "partitions";
export type JobTrigger = "cron" | "cli" | "admin" | "worker" | "scheduler" | "test";
export type JobFigures = Record<string, number | string | boolean | null | JobFigures[] | Record<string, unknown>>;

export interface JobContext {
  runId: string;
  trigger: JobTrigger;
  /** Progress for long runs: printed by the CLI, logged otherwise. */
  progress(message: string): void;
}

export interface JobOutcome {
  runId: string;
  name: JobName;
  status: "succeeded" | "failed" | "skipped";
  figures: JobFigures;
  error?: string;
  durationMs: number;
}

/** Jobs that throw this are recorded as failed with its message, and callers may show it as is. */
export class JobError extends Error {}

export interface RunJobOptions {
  onProgress?: (message: string) => void;
  /** The database (default: the app's pool). */
  pool?: pg.Pool;
  /** How long the lease lasts unrenewed (default 60 s); renewed every third of it. */
  leaseMs?: number;
}

/** Runs `work` as job `name`: recorded in job_runs, one run at a time, counted in /api/metrics. */
export async function runJob(
  name: JobName,
  trigger: JobTrigger,
  work: (ctx: JobContext) => Promise<JobFigures>,
  opts: RunJobOptions = {},
): Promise<JobOutcome> {
  const started = performance.now();
  let outcome: JobOutcome;
  try {
    outcome = await runRecorded(name, trigger, work, opts);
  } catch (err) {
    // Not even recorded (the database is down): counted as a failure all the same.
    observe(name, "failed", performance.now() - started);
    log.error({ job: name, trigger, status: "failed", err: (err as Error).message }, "job could not start");
    throw err;
  }
  observe(name, outcome.status, outcome.durationMs);
  return outcome;
}

function observe(name: JobName, status: JobOutcome["status"], durationMs: number) {
  metrics.jobRuns.inc({ job: name, status });
  metrics.jobDuration.observe({ job: name, status }, durationMs / 1000);
  if (status === "succeeded") metrics.jobLastSuccess.set({ job: name }, Date.now() / 1000);
}

async function runRecorded(name: JobName, trigger: JobTrigger, work: (ctx: JobContext) => Promise<JobFigures>, opts: RunJobOptions): Promise<JobOutcome> {
  const pool = opts.pool ?? getPool();
  const started = performance.now();
  const lease = await acquireLease(pool, `job:${name}`, opts.leaseMs ?? DEFAULT_LEASE_MS);
  if (!lease) {
    const figures = { reason: "another run holds the job" };
    const r = await pool.query<{ id: string }>(
      `INSERT INTO job_runs (name, trigger, status, finished_at, figures) VALUES ($1, $2, 'skipped', now(), $3) RETURNING id`,
      [name, trigger, JSON.stringify(figures)],
    );
    log.info({ job: name, trigger, status: "skipped" }, "job skipped: already running");
    return { runId: r.rows[0]!.id, name, status: "skipped", figures, durationMs: performance.now() - started };
  }
  try {
    // Holding the lease, no other run of this job is alive: a row still `running` is one whose
    // holder died (or lost its lease); it is closed, so the history does not show it running forever.
    await pool.query(
      `UPDATE job_runs SET status = 'failed', finished_at = now(),
              error = 'the run stopped without finishing (its process ended or lost the database); its lease lapsed'
        WHERE name = $1 AND status = 'running'`,
      [name],
    );
    const r = await pool.query<{ id: string }>(`INSERT INTO job_runs (name, trigger, status) VALUES ($1, $2, 'running') RETURNING id`, [name, trigger]);
    const runId = r.rows[0]!.id;
    const ctx: JobContext = {
      runId,
      trigger,
      progress: (message) => {
        if (opts.onProgress) opts.onProgress(message);
        else log.debug({ job: name, runId }, message);
      },
    };
    let figures: JobFigures;
    try {
      figures = await work(ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const durationMs = performance.now() - started;
      await pool
        .query(`UPDATE job_runs SET status = 'failed', finished_at = now(), error = $2, figures = $3 WHERE id = $1`, [
          runId,
          message,
          JSON.stringify({ seconds: round(durationMs / 1000) }),
        ])
        .catch(() => {});
      log.error({ job: name, trigger, runId, status: "failed", err: message, durationMs }, "job failed");
      return { runId, name, status: "failed", figures: {}, error: message, durationMs };
    }
    const durationMs = performance.now() - started;
    figures = { ...figures, seconds: round(durationMs / 1000), ...(lease.lost ? { leaseLost: true } : {}) };
    await pool.query(`UPDATE job_runs SET status = 'succeeded', finished_at = now(), figures = $2 WHERE id = $1`, [runId, JSON.stringify(figures)]);
    log.info({ job: name, trigger, runId, status: "succeeded", figures, durationMs }, "job finished");
    return { runId, name, status: "succeeded", figures, durationMs };
  } finally {
    await lease.release();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
