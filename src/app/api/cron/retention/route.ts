// Vercel Cron (daily, vercel.json): removes raw events older than RETENTION_MONTHS that sessions and
// aggregates cover (docs/retention.md). GET with `Authorization: Bearer $CRON_SECRET`;
// `?dryRun=1` lists what would go and removes nothing.
import { cronRoute } from "~/jobs/cron";
import { runRetention } from "~/retention/job";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export const GET = cronRoute((request) => {
  const dry = new URL(request.url).searchParams.get("dryRun");
  return runRetention("cron", { dryRun: dry === "1" || dry === "true" });
});
