// The `retention` job (daily cron route, `npm run jobs:retention [-- --dry-run]`, the worker):
// removes raw events older than RETENTION_MONTHS once covered by sessions and aggregates
// (retention.ts, docs/retention.md); recorded in job_runs like every job.
import { loadEnv } from "~/env";
import { getPool } from "~/lib/db/pool";
import { runJob, type JobOutcome, type JobTrigger } from "~/jobs/runner";
import { getClickHouse, isClickHouseEnabled } from "~/lib/clickhouse/client";
import { dropExpiredPartitions } from "~/lib/clickhouse/retention";
import { applyRetention } from "./retention";

export interface RetentionJobOptions {
  dryRun?: boolean;
  /** Defaults to RETENTION_MONTHS (13). */
  months?: number;
  now?: Date;
  batchSize?: number;
  onProgress?: (message: string) => void;
}

export function runRetention(trigger: JobTrigger, opts: RetentionJobOptions = {}): Promise<JobOutcome> {
  return runJob(
    "retention",
    trigger,
    async (ctx) => {
      const months = opts.months ?? loadEnv().RETENTION_MONTHS;
      const r = await applyRetention(getPool(), {
        months,
        now: opts.now,
        dryRun: opts.dryRun,
        batchSize: opts.batchSize,
        onProgress: ctx.progress,
      });
      // With ClickHouse as the event store, its monthly partitions follow the same rule.
      const clickhouse = isClickHouseEnabled()
        ? await dropExpiredPartitions(getClickHouse(), months, opts.now, { pool: getPool(), dryRun: opts.dryRun })
        : null;
      if (clickhouse?.dropped.length) ctx.progress(`ClickHouse: ${opts.dryRun ? "would drop" : "dropped"} months ${clickhouse.dropped.join(", ")}`);
      return {
        dryRun: r.dryRun,
        months,
        cutoff: r.cutoff,
        droppedPartitions: r.droppedPartitions,
        removedRows: r.removedRows,
        keptUncovered: r.keptUncovered,
        items: r.items.map((i) => ({ ...i })),
        ...(clickhouse ? { clickhouse: { ...clickhouse } } : {}),
      };
    },
    { onProgress: opts.onProgress },
  );
}
