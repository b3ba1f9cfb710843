import { z } from "zod";
import { JOB_NAMES, JOB_STATUSES } from "~/contract";

/** The latest runs, optionally of one job and one outcome. */
export const ZRunsInput = z.object({
  job: z.enum(JOB_NAMES).nullish(),
  status: z.enum(JOB_STATUSES).nullish(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type TRunsInput = z.infer<typeof ZRunsInput>;
