// Route handlers for Vercel Cron: GET with `Authorization: Bearer $CRON_SECRET`. Off (503) while
// CRON_SECRET is unset, 401 for anything else; the job's outcome as JSON otherwise.
import { env } from "~/env";
import { checkBearerToken } from "~/lib/bearerAuth";
import type { JobOutcome } from "./runner";

function checkCronAuth(request: Request): Response | null {
  return checkBearerToken(request, env.CRON_SECRET, "cron routes are disabled: CRON_SECRET is not set");
}

function outcomeResponse(outcome: JobOutcome): Response {
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
