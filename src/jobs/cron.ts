// Route handlers for Vercel Cron: GET with `Authorization: Bearer $CRON_SECRET`. Off (503) while
// CRON_SECRET is unset, 401 for anything else; the job's outcome as JSON otherwise.
import { timingSafeEqual } from "node:crypto";
import type { JobOutcome } from "./runner";

export function checkCronAuth(request: Request): Response | null {
  const secret = process.env.CRON_SECRET;
  if (!secret) {
    return Response.json({ error: "cron routes are disabled: CRON_SECRET is not set" }, { status: 503 });
  }
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${secret}`);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  return null;
}

export function outcomeResponse(outcome: JobOutcome): Response {
  const status = outcome.status === "failed" ? 500 : 200;
  return Response.json(
    {
      job: outcome.name,
      runId: outcome.runId,
      status: outcome.status,
      figures: outcome.figures,
      ...(outcome.error ? { error: outcome.error } : {}),
      durationMs: Math.round(outcome.durationMs),
    },
    { status },
  );
}

/** GET handler for a cron route: auth, then the job (`run` decides its own preconditions). */
export function cronRoute(run: (request: Request) => Promise<JobOutcome | Response>) {
  return async function GET(request: Request): Promise<Response> {
    const refused = checkCronAuth(request);
    if (refused) return refused;
    const result = await run(request);
    return result instanceof Response ? result : outcomeResponse(result);
  };
}
