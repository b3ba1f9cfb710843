// For tests only. Test files run in parallel and runJob lets one bunny-sync run at a time (a
// second returns `skipped`), so tests in different files that run the job take turns here.
import type { JobOutcome, JobTrigger } from "~/jobs/runner";
import { runBunnySync, type BunnySyncOptions } from "./sync";

export async function runBunnySyncInTurn(trigger: JobTrigger, opts: BunnySyncOptions): Promise<JobOutcome> {
  for (let i = 0; ; i++) {
    const out = await runBunnySync(trigger, opts);
    if (out.status !== "skipped" || i >= 300) return out;
    await new Promise((r) => setTimeout(r, 50));
  }
}
