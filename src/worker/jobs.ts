// Cron path (vercel.json) → the job its route runs, for `npm run worker`. A new cron route needs
// its line here too (src/worker/worker.test.ts fails until every vercel.json path has one).
import { runAggregation } from "~/aggregation/job";
import { bunnyConfig, missingBunnySettings, missingMessage } from "~/bunny/config";
import { runBunnySync } from "~/bunny/sync";
import { runPartitions } from "~/partitions/job";
import { runRetention } from "~/retention/job";
import type { JobStarter } from "./worker";

export const CRON_JOBS: Record<string, JobStarter> = {
  "/api/cron/aggregate": (trigger) => runAggregation(trigger),
  // Like its cron route: not configured → not run (the worker logs the message each time).
  "/api/cron/bunny-sync": async (trigger) => {
    const config = bunnyConfig();
    const missing = await missingBunnySettings(config);
    if (missing.length) throw new Error(missingMessage(missing));
    return runBunnySync(trigger, { config });
  },
  "/api/cron/partitions": (trigger) => runPartitions(trigger),
  "/api/cron/retention": (trigger) => runRetention(trigger),
};
