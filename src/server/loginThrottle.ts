// Sign-in attempts are limited per client address and per e-mail, in 15-minute windows, with the
// ingestion's limiter (src/lib/rateLimit.ts: keyed hashes, Redis when REDIS_URL is set). The
// address limit is the stricter one, so one host runs out long before it could use up an
// e-mail's budget and lock its owner out; the e-mail limit stops guessing spread over many
// hosts. Every attempt counts when it arrives (so a burst cannot slip through), and a successful
// sign-in takes its attempt back.
import { loadEnv } from "~/env";
import { clientAddress, clientPolicyFromEnv, peerAddress, type HeaderGetter } from "~/lib/clientAddress";
import { log } from "~/lib/log";
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from "~/lib/rateLimit";
import { randomBytes } from "node:crypto";

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LIMITS = { perAddress: 10, perEmail: 50 } as const;

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export type LoginDecision = { allowed: true } | { allowed: false; retryAfter: number; limit: "address" | "email" };

export interface LoginThrottle {
  /** Counts an attempt; refused once the address, or else the e-mail, is over its limit. */
  attempt(address: string | null, email: string | null, now?: number): Promise<LoginDecision>;
  /** A sign-in that succeeded: its attempt is taken back. */
  succeeded(address: string | null, email: string | null, now?: number): Promise<void>;
  close(): Promise<void>;
}

export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = value.trim().toLowerCase();
  return email.length > 0 && email.length <= 320 && email.includes("@") ? email : null;
}

export function createLoginThrottle(opts: {
  secret: string;
  redisUrl?: string;
  perAddress?: number;
  perEmail?: number;
  windowMs?: number;
}): LoginThrottle {
  const windowMs = opts.windowMs ?? LOGIN_WINDOW_MS;
  const make = (limit: number, name: string): RateLimiter =>
    opts.redisUrl
      ? redisRateLimiter({ limit, secret: opts.secret, url: opts.redisUrl, windowMs, name })
      : memoryRateLimiter({ limit, secret: opts.secret, windowMs });
  const byAddress = make(opts.perAddress ?? LOGIN_LIMITS.perAddress, "login-address");
  const byEmail = make(opts.perEmail ?? LOGIN_LIMITS.perEmail, "login-email");
  // The e-mail is hashed like an address; the prefix keeps the two kinds of subject apart.
  const emailKey = (email: string) => `email:${email}`;
  return {
    async attempt(address, email, now = Date.now()) {
      const a = await byAddress.hit(address ?? "unknown", now);
      // Refused for its address: the e-mail's budget is not touched.
      if (!a.allowed) return { allowed: false, retryAfter: a.retryAfter, limit: "address" };
      if (email) {
        const e = await byEmail.hit(emailKey(email), now);
        if (!e.allowed) return { allowed: false, retryAfter: e.retryAfter, limit: "email" };
      }
      return { allowed: true };
    },
    async succeeded(address, email, now = Date.now()) {
      await byAddress.undo(address ?? "unknown", now);
      if (email) await byEmail.undo(emailKey(email), now);
    },
    async close() {
      await Promise.all([byAddress.close(), byEmail.close()]);
    },
  };
}

const g = globalThis as unknown as { streamscopeLoginThrottle?: LoginThrottle };

/** The process-wide throttle (Redis-backed when REDIS_URL is set, so every instance shares it). */
export function loginThrottle(): LoginThrottle {
  if (!g.streamscopeLoginThrottle) {
    const env = loadEnv();
    const secret = env.RATE_LIMIT_SECRET || env.NEXTAUTH_SECRET || randomBytes(32).toString("hex");
    g.streamscopeLoginThrottle = createLoginThrottle({ secret, redisUrl: env.REDIS_URL });
  }
  return g.streamscopeLoginThrottle;
}

/** For tests that change the environment. */
export async function resetLoginThrottle(): Promise<void> {
  await g.streamscopeLoginThrottle?.close();
  g.streamscopeLoginThrottle = undefined;
}

/** The client address of a sign-in request, by the same rules as ingestion (src/lib/clientAddress.ts). */
export function loginAddress(header: HeaderGetter): string | null {
  return clientAddress(header, peerAddress(), clientPolicyFromEnv(loadEnv()));
}

const CREDENTIALS_CALLBACK = /\/api\/auth\/callback\/credentials\/?$/;

function tooMany(request: Request, retryAfter: number): Response {
  const minutes = Math.max(1, Math.ceil(retryAfter / 60));
  return Response.json(
    {
      error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      retryAfter,
      // next-auth's signIn() reads the error code from this URL.
      url: new URL(`/login?error=${TOO_MANY_ATTEMPTS}`, request.url).toString(),
    },
    { status: 429, headers: { "retry-after": String(retryAfter), "cache-control": "no-store" } },
  );
}

/**
 * Wraps next-auth's route handler: a credentials sign-in over the limit is answered 429 before
 * next-auth (and the password hash) sees it; everything else goes through unchanged.
 */
export function withLoginThrottle<C>(handler: (request: Request, context: C) => Promise<Response>, throttle: () => LoginThrottle = loginThrottle) {
  return async (request: Request, context: C): Promise<Response> => {
    if (request.method !== "POST" || !CREDENTIALS_CALLBACK.test(new URL(request.url).pathname)) return handler(request, context);
    let email: string | null = null;
    try {
      email = normalizeEmail((await request.clone().formData()).get("email"));
    } catch {
      // Not a form: next-auth refuses it; the address is counted all the same.
    }
    const address = loginAddress((name) => request.headers.get(name));
    const decision = await throttle().attempt(address, email);
    if (!decision.allowed) {
      // Which limit, never the address or the e-mail.
      log.warn({ limit: decision.limit, retryAfter: decision.retryAfter }, "login: sign-in attempts over the limit, answered 429");
      return tooMany(request, decision.retryAfter);
    }
    return handler(request, context);
  };
}
