// The scheduler of `npm start`, `npm run demo` and `npm run worker`: every job of vercel.json's
// `crons` (the aggregation every AGGREGATE_EVERY when set) in this process, each tick run by one
// scheduler only, whichever claims it first (src/jobs/scheduler.ts).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import path from "node:path";
import { env } from "~/env";
import type { JobTrigger } from "~/jobs/runner";
import { claimTick, markSchedulerStarted, scheduledCrons } from "~/jobs/scheduler";
import { getPool } from "~/lib/db/pool";
import { log } from "~/lib/log";
import { CRON_JOBS } from "./jobs";
import { readCrons, startWorker, type Worker } from "./worker";

export function startScheduler(opts: { file?: string; trigger: JobTrigger }): Worker {
  const file = path.resolve(opts.file ?? "vercel.json");
  const crons = scheduledCrons(readCrons(file), { aggregateEvery: env.AGGREGATE_EVERY });
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  // Only for the admin pages' notice: a failure here changes nothing else.
  markSchedulerStarted(getPool(), holder).catch((err: Error) => log.warn({ err: err.message }, "scheduler: could not record its start"));
  return startWorker({
    crons,
    jobs: CRON_JOBS,
    trigger: opts.trigger,
    claim: (p, tick) => claimTick(getPool(), p, tick, holder),
  });
}
