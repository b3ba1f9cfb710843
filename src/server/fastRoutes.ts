// Routes the self-hosted server answers before Next.js sees the request (see httpServer.ts).
import { ingestNodeRoute } from "~/ingest/node";
import type { FastRoute } from "./httpServer";

export function fastRoutes(): FastRoute[] {
  // POST /api/analytics/events: the ingestion core without the framework (docs/architecture.md).
  return [ingestNodeRoute];
}
