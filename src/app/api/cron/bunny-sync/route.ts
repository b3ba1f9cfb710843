// GET /api/cron/bunny-sync — Vercel Cron (daily, vercel.json), `Authorization: Bearer $CRON_SECRET`.
// 501 naming the missing variables while Bunny is not configured; the job's outcome otherwise.
import { bunnyConfig, missingBunnySettings, missingMessage } from "~/bunny/config";
import { runBunnySync } from "~/bunny/sync";
import { cronRoute } from "~/jobs/cron";

export const dynamic = "force-dynamic";
// A first sync fetches 30 days per stream; give it time on platforms that cap function duration.
export const maxDuration = 300;

export const GET = cronRoute(async () => {
  let config;
  try {
    config = bunnyConfig();
  } catch (err) {
    return Response.json({ error: err instanceof Error ? err.message : String(err) }, { status: 500 });
  }
  const missing = await missingBunnySettings(config);
  if (missing.length) return Response.json({ error: missingMessage(missing), missing }, { status: 501 });
  return runBunnySync("cron", { config });
});
