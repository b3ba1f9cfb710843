// Routes the self-hosted server answers before Next.js sees the request (see httpServer.ts).
import type { FastRoute } from "./httpServer";

export function fastRoutes(): FastRoute[] {
  return [];
}
