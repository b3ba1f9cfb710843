import { recentJobRuns } from "~/jobs/history";
import type { TRunsInput } from "./runs.schema";

export function runsHandler({ input }: { input: TRunsInput }) {
  return recentJobRuns({ name: input.job ?? null, status: input.status ?? null, limit: input.limit });
}
