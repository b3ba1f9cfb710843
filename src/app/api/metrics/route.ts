// GET /api/metrics — Prometheus text format (prom-client) for a scraper holding
// `Authorization: Bearer $METRICS_TOKEN`: ingestion batches and events accepted and refused by
// reason, ingestion latency, job runs and durations, pg pool use, Node process figures.
// 503 while METRICS_TOKEN is unset (off by default), 401 for a missing or wrong token.
// Figures are per process (each server instance is scraped on its own).
import { env } from "~/env";
import { checkBearerToken } from "~/lib/bearerAuth";
import { registry } from "~/lib/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function checkMetricsAuth(request: Request): Response | null {
  return checkBearerToken(request, env.METRICS_TOKEN?.trim(), "metrics are disabled: METRICS_TOKEN is not set");
}

export async function GET(request: Request): Promise<Response> {
  const refused = checkMetricsAuth(request);
  if (refused) return refused;
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
