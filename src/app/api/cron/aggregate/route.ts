// Vercel Cron (every 5 minutes, vercel.json): GET with `Authorization: Bearer $CRON_SECRET`;
// 503 while CRON_SECRET is unset, 401 otherwise; the run's outcome as JSON (see src/jobs/cron.ts).
import { runAggregation } from "~/aggregation/job";
import { cronRoute } from "~/jobs/cron";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
// A full first run over a large database takes minutes; later runs are incremental.
export const maxDuration = 300;

export const GET = cronRoute(() => runAggregation("cron"));
