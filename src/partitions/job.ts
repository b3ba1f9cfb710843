// The `partitions` job (daily cron route, `npm run jobs:partitions`, the worker): creates the
// current and next months' partitions of playback_events ahead of time, empties the default
// partition into monthly ones, and prunes dedup keys older than 48 h.
import { getPool } from "~/lib/db/pool";
import { runJob, type JobFigures, type JobOutcome, type JobTrigger } from "~/jobs/runner";
import { ensurePartitions, isPartitioned, pruneEventKeys } from "./partitions";

export interface PartitionsJobOptions {
  /** Months after the current one to create ahead (default 3). */
  monthsAhead?: number;
  now?: Date;
  onProgress?: (message: string) => void;
}

export function runPartitions(trigger: JobTrigger, opts: PartitionsJobOptions = {}): Promise<JobOutcome> {
  return runJob(
    "partitions",
    trigger,
    async (ctx): Promise<JobFigures> => {
      const pool = getPool();
      const keysPruned = await pruneEventKeys(pool, { now: opts.now });
      if (!(await isPartitioned(pool))) {
        ctx.progress("playback_events is not partitioned here: only dedup keys pruned");
        return { partitioned: false, created: 0, moved: 0, keysPruned };
      }
      const r = await ensurePartitions(pool, { monthsAhead: opts.monthsAhead, now: opts.now, onProgress: ctx.progress });
      ctx.progress(`${r.created.length} partitions created, ${r.moved} rows moved, ${keysPruned} dedup keys pruned`);
      return {
        partitioned: true,
        created: r.created.length,
        createdNames: r.created.map((c) => c.name).join(",") || null,
        moved: r.moved,
        partitions: r.partitions,
        defaultRows: r.defaultRows,
        keysPruned,
      };
    },
    { onProgress: opts.onProgress },
  );
}
