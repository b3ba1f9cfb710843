// npm run jobs:partitions [-- --months-ahead N] — creates the current and next N (default 3) months'
// partitions of playback_events, empties the default partition, prunes dedup keys older than 48 h.
// Daily on Vercel (vercel.json) and in `npm run worker`.
import { runJobCli } from "~/jobs/cli";
import { runPartitions } from "~/partitions/job";

const args = process.argv.slice(2);
let monthsAhead: number | undefined;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--months-ahead" && /^\d+$/.test(args[i + 1] ?? "")) {
    monthsAhead = Number(args[++i]);
  } else {
    console.error(`unknown argument ${args[i]}; usage: npm run jobs:partitions [-- --months-ahead N]`);
    process.exit(2);
  }
}

await runJobCli((progress) => runPartitions("cli", { monthsAhead, onProgress: progress }));
