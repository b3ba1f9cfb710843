// npm run jobs:retention [-- --dry-run] — removes raw events older than RETENTION_MONTHS (default 13)
// that sessions and aggregates cover (docs/retention.md). --dry-run lists the partitions and row
// counts that would go and removes nothing.
import { runJobCli } from "~/jobs/cli";
import { runRetention } from "~/retention/job";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--dry-run");
if (unknown.length) {
  console.error(`unknown argument ${unknown[0]}; usage: npm run jobs:retention [-- --dry-run]`);
  process.exit(2);
}

await runJobCli((progress) => runRetention("cli", { dryRun: args.includes("--dry-run"), onProgress: progress }));
