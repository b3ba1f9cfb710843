// jobs.*: admin-only history of the scheduled jobs' runs (/admin/jobs).
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { runsHandler } from "./runs.handler";
import { ZRunsInput } from "./runs.schema";
import { schedulerHandler } from "./scheduler.handler";
import { summariesHandler } from "./summaries.handler";

export const jobsRouter = createTRPCRouter({
  runs: adminProcedure.input(ZRunsInput).query((opts) => runsHandler(opts)),
  summaries: adminProcedure.query(() => summariesHandler()),
  scheduler: adminProcedure.query(() => schedulerHandler()),
});
