// /api/analytics/events through Next.js (what Vercel runs). The self-hosted server answers the
// same path with the same core before Next sees it (src/server/fastRoutes.ts). Every method goes
// to the core, so a wrong one gets the core's JSON 405 on both doors (HEAD is Next's GET without a body).
import { ingestWebRequest } from "~/ingest/web";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handle(request: Request): Promise<Response> {
  return ingestWebRequest(request, "next");
}

export { handle as POST, handle as OPTIONS, handle as GET, handle as PUT, handle as PATCH, handle as DELETE };
