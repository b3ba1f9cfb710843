// npm run jobs:bunny-sync [-- --from YYYY-MM-DD --to YYYY-MM-DD] [--stream <id> ...]
// Without a range: each Bunny stream from its last synced day (first run: the last 30 days) to today.
import { parseArgs } from "node:util";
import { bunnyConfig, missingBunnySettings, missingMessage } from "~/bunny/config";
import { checkRange, runBunnySync } from "~/bunny/sync";
import { runJobCli } from "~/jobs/cli";

const { values } = parseArgs({
  options: {
    from: { type: "string" },
    to: { type: "string" },
    stream: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

if (values.help) {
  console.log(`Usage: npm run jobs:bunny-sync [-- --from YYYY-MM-DD --to YYYY-MM-DD] [--stream <id> ...]
Fetches Bunny Stream's statistics per stream per day into bunny_video_stats and merges Bunny's
watch time into stream_stats. Needs BUNNY_API_KEY and BUNNY_LIBRARY_ID (or a library id per provider).`);
  process.exit(0);
}

await runJobCli(async (progress) => {
  const config = bunnyConfig();
  const missing = await missingBunnySettings(config);
  if (missing.length) throw new Error(missingMessage(missing));
  // Bad dates stop here, before a job run is recorded.
  checkRange(values.from, values.to, new Date().toISOString().slice(0, 10));
  return runBunnySync("cli", { config, from: values.from, to: values.to, streamIds: values.stream }, progress);
});
