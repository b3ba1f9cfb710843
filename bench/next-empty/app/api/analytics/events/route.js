// Benchmark baseline: the emptiest useful Next.js route handler (reads the body, answers 202).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request) {
  await request.text();
  return new Response('{"ingested":0,"duplicates":0}', {
    status: 202,
    headers: { "content-type": "application/json", "cache-control": "no-store", "access-control-allow-origin": "*" },
  });
}
