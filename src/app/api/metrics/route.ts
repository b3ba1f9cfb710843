// GET /api/metrics — Prometheus text format (prom-client) for a scraper holding
// `Authorization: Bearer $METRICS_TOKEN`: ingestion batches and events accepted and refused by
// reason, ingestion latency, job runs and durations, pg pool use, Node process figures.
// 503 while METRICS_TOKEN is unset (off by default), 401 for a missing or wrong token.
// Figures are per process (each server instance is scraped on its own).
import { timingSafeEqual } from "node:crypto";
import { registry } from "~/lib/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

function checkMetricsAuth(request: Request): Response | null {
  const token = process.env.METRICS_TOKEN?.trim();
  if (!token) {
    return Response.json({ error: "metrics are disabled: METRICS_TOKEN is not set" }, { status: 503 });
  }
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return null;
}

export async function GET(request: Request): Promise<Response> {
  const refused = checkMetricsAuth(request);
  if (refused) return refused;
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
