// The self-hosters' scheduler (`npm run worker`): runs every job on the schedule of vercel.json's
// `crons`, so a deployment without Vercel Cron gets the same jobs at the same times (UTC, as Vercel).
// A job whose previous run is still going is not started again (croner's overrun protection here;
// runJob's lease across processes, so a worker next to Vercel Cron is safe too).
import fs from "node:fs";
import { Cron } from "croner";
import type { JobOutcome, JobTrigger } from "~/jobs/runner";
import { log as rootLog } from "~/lib/log";

export interface CronEntry {
  path: string;
  schedule: string;
}

export type JobStarter = (trigger: JobTrigger) => Promise<JobOutcome>;

/** The `crons` of a vercel.json file, checked. */
export function readCrons(file: string): CronEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  const crons = (parsed as { crons?: unknown }).crons;
  if (!Array.isArray(crons)) throw new Error(`${file} has no "crons" array`);
  return crons.map((c, i) => {
    const { path, schedule } = (c ?? {}) as { path?: unknown; schedule?: unknown };
    if (typeof path !== "string" || typeof schedule !== "string") {
      throw new Error(`${file}: crons[${i}] needs a string "path" and "schedule"`);
    }
    return { path, schedule };
  });
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
        name: `streamscope:${entry.path}`,
        timezone: "UTC",
        // A tick that comes while the previous run is still going is skipped (and logged).
        protect: () => log.warn({ path: entry.path }, "worker: previous run still going; this tick skipped"),
      },
      async () => {
        job.running = true;
        const started = Date.now();
        log.info({ path: entry.path }, "worker: job starting");
        const p = start("worker")
          .then((outcome) => {
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
