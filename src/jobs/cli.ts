// Shared main() for the jobs' command-line entry points (npm run jobs:*): opens the database
// (embedded when DATABASE_URL is unset), runs the job, prints its figures, exits non-zero on failure.
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { closePool } from "~/lib/db/pool";
import { disconnectPrisma } from "~/lib/db/prisma";
import type { JobOutcome } from "./runner";

export async function runJobCli(run: (progress: (message: string) => void) => Promise<JobOutcome>): Promise<never> {
  const target = await ensureDatabaseUrl();
  let code = 1;
  try {
    const outcome = await run((message) => console.log(`[${new Date().toISOString()}] ${message}`));
    console.log(JSON.stringify({ job: outcome.name, status: outcome.status, figures: outcome.figures, error: outcome.error }, null, 2));
    code = outcome.status === "failed" ? 1 : 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
  } finally {
    await disconnectPrisma();
    await closePool();
    await target.stop();
  }
  process.exit(code);
}
