import { streamsCsv } from "~/analytics/csvExport";
import { parseStreamsSearchParams } from "~/analytics/searchParams";
import { getServerAuthSession } from "~/server/auth";

export const dynamic = "force-dynamic";

/** GET /api/admin/analytics/streams.csv?from&to&org&provider&status&q&sort&dir — admins only. */
export async function GET(req: Request) {
  const session = await getServerAuthSession();
  if (!session) return Response.json({ error: "sign in first" }, { status: 401 });
  if (session.user.role !== "admin") return Response.json({ error: "this needs the admin role" }, { status: 403 });
  const parsed = parseStreamsSearchParams(new URL(req.url).searchParams);
  if (!parsed.ok) return Response.json({ error: parsed.error }, { status: 400 });
  const { sort, dir, page: _page, pageSize: _size, ...filters } = parsed.value;
  return new Response(streamsCsv(filters, { sort, dir }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="streamscope-streams_${filters.from}_${filters.to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
