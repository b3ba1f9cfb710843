// Vercel Cron (daily, vercel.json): creates the coming months' partitions of playback_events and
// prunes old dedup keys. GET with `Authorization: Bearer $CRON_SECRET` (503 unset, 401 wrong).
import { cronRoute } from "~/jobs/cron";
import { runPartitions } from "~/partitions/job";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export const GET = cronRoute(() => runPartitions("cron"));
