// Shared guard for machine-to-machine routes (cron, metrics): off (503) while their token is
// unset, 401 for a missing or wrong `Authorization: Bearer …`, compared in constant time.
import { timingSafeEqual } from "node:crypto";

export function checkBearerToken(request: Request, token: string | undefined, disabledMessage: string): Response | null {
  if (!token) return Response.json({ error: disabledMessage }, { status: 503 });
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return null;
}
