// npm run jobs:aggregate [-- --full] — the aggregation job for self-hosters (run it from cron
// every 5 minutes, like vercel.json does on Vercel). --full recomputes every stream whole.
import { runAggregation } from "~/aggregation/job";
import { runJobCli } from "~/jobs/cli";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--full");
if (unknown.length) {
  console.error(`unknown argument ${unknown[0]}; usage: npm run jobs:aggregate [-- --full]`);
  process.exit(2);
}

await runJobCli((progress) => runAggregation("cli", { full: args.includes("--full"), onProgress: progress }));
