// Who calls the REST API: `Authorization: Bearer <token>` (src/tokens), limited per token to
// API_RATE_LIMIT_PER_MINUTE requests a minute. The limit is counted on the presented token before
// the database is asked, so a flood of made-up tokens costs no lookups either.
import { createHash, randomBytes } from "node:crypto";
import { env } from "~/env";
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from "~/lib/rateLimit";
import { authenticateToken, type TokenPrincipal } from "~/tokens/tokens";
import { problem } from "./problem";

let limiter: { limit: number; redis: string | undefined; instance: RateLimiter } | undefined;

/** The limiter for the current settings (made again when they change: tests lower the limit). */
function apiLimiter(): { limit: number; instance: RateLimiter } {
  const limit = env.API_RATE_LIMIT_PER_MINUTE;
  const redis = env.REDIS_URL;
  if (!limiter || limiter.limit !== limit || limiter.redis !== redis) {
    void limiter?.instance.close();
    const secret = env.RATE_LIMIT_SECRET || env.NEXTAUTH_SECRET || randomBytes(32).toString("hex");
    const instance = redis ? redisRateLimiter({ limit, secret, url: redis, name: "api" }) : memoryRateLimiter({ limit, secret });
    limiter = { limit, redis, instance };
  }
  return limiter;
}

export type Authenticated = { ok: true; principal: TokenPrincipal; headers: Record<string, string> } | { ok: false; response: Response };

export async function authenticate(request: Request): Promise<Authenticated> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    return {
      ok: false,
      response: problem("unauthorized", "Send an API token as `Authorization: Bearer <token>` (created under Admin → API tokens or with npm run token:create).", {
        headers: { "www-authenticate": 'Bearer realm="streamscope"' },
      }),
    };
  }
  const token = match[1]!;
  const { limit, instance } = apiLimiter();
  const decision = await instance.hit(createHash("sha256").update(token).digest("hex"));
  const headers = { "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(decision.remaining) };
  if (!decision.allowed) {
    return {
      ok: false,
      response: problem("rate-limited", `At most ${limit} requests a minute per token: retry after ${decision.retryAfter} s.`, {
        headers: { ...headers, "retry-after": String(decision.retryAfter) },
      }),
    };
  }
  const principal = await authenticateToken(token);
  if (!principal) {
    return {
      ok: false,
      response: problem("unauthorized", "The token is unknown or revoked.", {
        headers: { "www-authenticate": 'Bearer realm="streamscope", error="invalid_token"' },
      }),
    };
  }
  return { ok: true, principal, headers };
}
