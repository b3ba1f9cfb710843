// POST /api/analytics/events through Next.js (what Vercel runs). The self-hosted server answers
// the same path with the same core before Next sees it (src/server/fastRoutes.ts).
import { ingestWebRequest } from "~/ingest/web";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return ingestWebRequest(request, "next");
}

export function OPTIONS(request: Request): Promise<Response> {
  return ingestWebRequest(request, "next");
}
