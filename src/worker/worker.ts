// The self-hosters' scheduler (`npm run worker`): runs every job on the schedule of vercel.json's
// `crons`, so a deployment without Vercel Cron gets the same jobs at the same times (UTC, as Vercel).
// A job whose previous run is still going is not started again (croner's overrun protection here;
// runJob's lease across processes, so a worker next to Vercel Cron is safe too). With `claim`, a
// tick that another scheduler already claimed is let go (src/jobs/scheduler.ts: one run per tick).
import fs from "node:fs";
import { Cron } from "croner";
import type { JobOutcome, JobTrigger } from "~/jobs/runner";
import { parseCrons, tickTime, type CronEntry } from "~/jobs/scheduler";
import { log as rootLog } from "~/lib/log";

export type { CronEntry };

export type JobStarter = (trigger: JobTrigger) => Promise<JobOutcome>;

/** The `crons` of a vercel.json file, checked. */
export function readCrons(file: string): CronEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseCrons(parsed, file);
}

export interface WorkerJob {
  path: string;
  schedule: string;
  cron: Cron;
  /** Runs finished so far (any status). */
  runs: number;
  running: boolean;
}

export interface Worker {
  jobs: WorkerJob[];
  /** Paths in the schedule without a job here: skipped, and logged at start. */
  unknown: string[];
  /** Stops scheduling and waits for runs under way. */
  stop(): Promise<void>;
}

export function startWorker(opts: {
  crons: CronEntry[];
  jobs: Record<string, JobStarter>;
  log?: Pick<typeof rootLog, "info" | "warn" | "error">;
  onRun?: (path: string, outcome: JobOutcome | Error) => void;
  /** Recorded in job_runs.trigger (default "worker"). */
  trigger?: JobTrigger;
  /** Claims a tick before running it; false → another scheduler runs this tick (claimTick). */
  claim?: (path: string, tick: Date) => Promise<boolean>;
  /** Called for each tick let go because another scheduler claimed it. */
  onLetGo?: (path: string, tick: Date) => void;
}): Worker {
  const log = opts.log ?? rootLog;
  const unknown: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const jobs: WorkerJob[] = [];
  for (const entry of opts.crons) {
    const start = opts.jobs[entry.path];
    if (!start) {
      unknown.push(entry.path);
      log.warn({ path: entry.path, schedule: entry.schedule }, "worker: no job for this cron path; skipped");
      continue;
    }
    const job: WorkerJob = { path: entry.path, schedule: entry.schedule, runs: 0, running: false, cron: undefined as unknown as Cron };
    job.cron = new Cron(
      entry.schedule,
      {
        timezone: "UTC",
        // A tick that comes while the previous run is still going is skipped (and logged).
        protect: () => log.warn({ path: entry.path }, "worker: previous run still going; this tick skipped"),
      },
      async (self: Cron) => {
        job.running = true;
        const started = Date.now();
        const tick = tickTime(self, started);
        const p = (async () => {
          if (opts.claim && !(await opts.claim(entry.path, tick))) {
            opts.onLetGo?.(entry.path, tick);
            return null;
          }
          log.info({ path: entry.path, tick: tick.toISOString() }, "worker: job starting");
          return start(opts.trigger ?? "worker");
        })()
          .then((outcome) => {
            if (!outcome) return;
            log.info(
              { path: entry.path, job: outcome.name, status: outcome.status, durationMs: Math.round(outcome.durationMs), error: outcome.error },
              "worker: job done",
            );
            opts.onRun?.(entry.path, outcome);
          })
          .catch((err: unknown) => {
            // runJob records failures itself; this is a failure to even start (database down...).
            const e = err instanceof Error ? err : new Error(String(err));
            log.error({ path: entry.path, err: e.message, durationMs: Date.now() - started }, "worker: job could not run");
            opts.onRun?.(entry.path, e);
          })
          .finally(() => {
            job.running = false;
            // Counts the ticks this scheduler handled, run or let go.
            job.runs++;
          });
        inFlight.add(p);
        try {
          await p;
        } finally {
          inFlight.delete(p);
        }
      },
    );
    jobs.push(job);
    log.info({ path: entry.path, schedule: entry.schedule, next: job.cron.nextRun()?.toISOString() }, "worker: scheduled");
  }
  return {
    jobs,
    unknown,
    async stop() {
      for (const j of jobs) j.cron.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
