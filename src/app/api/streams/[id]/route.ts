// GET /api/streams/[id]: what the player needs to play a stream (briefs' contract). Public and
// briefly cacheable; CORS-open because the player may be embedded on another origin.
import { getPlayerStream } from "~/streams/playerStream";
import { log } from "~/lib/log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CORS = { "access-control-allow-origin": "*" };

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  try {
    const stream = await getPlayerStream(id);
    if (!stream) return Response.json({ error: "unknown stream" }, { status: 404, headers: CORS });
    return Response.json(stream, {
      headers: { ...CORS, "cache-control": "public, max-age=5, stale-while-revalidate=30" },
    });
  } catch (err) {
    log.warn({ err: (err as Error).message }, "GET /api/streams/[id] failed");
    return Response.json({ error: "database unavailable, retry later" }, { status: 503, headers: { ...CORS, "retry-after": "5" } });
  }
}
