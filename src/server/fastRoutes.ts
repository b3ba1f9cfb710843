// Routes the self-hosted server answers before Next.js sees the request (see httpServer.ts).
import { loadEnv } from "~/env";
import { ingestNodeRoute } from "~/ingest/node";
import type { FastRoute } from "./httpServer";

export function fastRoutes(): FastRoute[] {
  const routes: FastRoute[] = [];
  // POST /api/analytics/events: the ingestion core without the framework (docs/architecture.md).
  if (loadEnv().INGEST_FAST_PATH) routes.push(ingestNodeRoute);
  return routes;
}
