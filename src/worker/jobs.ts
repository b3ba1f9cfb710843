// Cron path (vercel.json) → the job its route runs, for `npm run worker`. A new cron route needs
// its line here too (src/worker/worker.test.ts fails until every vercel.json path has one).
import { runAggregation } from "~/aggregation/job";
import { runPartitions } from "~/partitions/job";
import { runRetention } from "~/retention/job";
import type { JobStarter } from "./worker";

export const CRON_JOBS: Record<string, JobStarter> = {
  "/api/cron/aggregate": (trigger) => runAggregation(trigger),
  "/api/cron/partitions": (trigger) => runPartitions(trigger),
  "/api/cron/retention": (trigger) => runRetention(trigger),
};
