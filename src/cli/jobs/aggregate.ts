// npm run jobs:aggregate [-- --full] [--rewalk] — the aggregation job for self-hosters (run it from
// cron every 5 minutes, like vercel.json does on Vercel). --full recomputes every stream whole.
// --rewalk walks every session it finalizes from its events, also those whose figures ingestion
// walked exactly; with --full, every closed session is re-finalized from its events, finalized ones
// included (after a change to the walk rules, or to verify).
import { runAggregation } from "~/aggregation/job";
import { runJobCli } from "~/jobs/cli";

const USAGE = "usage: npm run jobs:aggregate [-- --full] [--rewalk]";
const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}
const unknown = args.filter((a) => a !== "--full" && a !== "--rewalk");
if (unknown.length) {
  console.error(`unknown argument ${unknown[0]}; ${USAGE}`);
  process.exit(2);
}

await runJobCli((progress) =>
  runAggregation("cli", { full: args.includes("--full"), rewalk: args.includes("--rewalk"), onProgress: progress }),
);
