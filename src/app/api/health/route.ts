import { getPool } from "~/lib/db/pool";

export const dynamic = "force-dynamic";

// 200 when the database answers, 503 otherwise (load balancers and uptime checks).
export async function GET() {
  const started = performance.now();
  try {
    await Promise.race([
      getPool().query("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    return Response.json({ status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) });
  } catch {
    return Response.json({ status: "unavailable", database: "down" }, { status: 503 });
  }
}
