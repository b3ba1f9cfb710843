// Hits per window per subject (fixed windows, one minute unless said otherwise): batches per client
// address for ingestion, sign-in attempts per address and per e-mail for the login. An IPv6
// address counts for its whole /64 (one host usually holds all of it). The subject is never kept:
// the key is HMAC-SHA256(daily salt, subject), the salt itself an HMAC of the secret and the UTC day,
// so keys cannot be joined across days. Redis (shared by every instance) when REDIS_URL is set,
// else an in-memory bounded map per process. If Redis fails, requests are let through (logged):
// an analytics beacon is not worth refusing real viewers over.
import { createHmac, randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import ipaddr from "ipaddr.js";
import { log } from "~/lib/log";

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After); 0 when allowed. */
  retryAfter: number;
  remaining: number;
}

export interface RateLimiter {
  hit(subject: string, now?: number): Promise<RateDecision>;
  /** Takes one hit of the current window back (a sign-in that succeeded costs nothing). */
  undo(subject: string, now?: number): Promise<void>;
  close(): Promise<void>;
}

const MINUTE_MS = 60_000;

/** What is counted for `subject`: an IPv6 address stands for its /64, anything else for itself. */
export function limitSubject(subject: string): string {
  if (!subject.includes(":") || !ipaddr.IPv6.isValid(subject)) return subject;
  const v6 = ipaddr.IPv6.parse(subject);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = v6.parts.slice(0, 4).map((p) => p.toString(16)).join(":");
  return `${prefix}::/64`;
}

const DAY_MS = 86_400_000;
let saltCache: { secret: string; day: number; salt: Buffer } | undefined;

export function hashAddress(secret: string, address: string, now = Date.now()): string {
  const day = Math.floor(now / DAY_MS);
  if (!saltCache || saltCache.day !== day || saltCache.secret !== secret) {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    saltCache = { secret, day, salt: createHmac("sha256", secret).update(`rate-limit:${date}`).digest() };
  }
  return createHmac("sha256", saltCache.salt).update(address).digest("base64url").slice(0, 22);
}

function decide(count: number, limit: number, resetAt: number, now: number): RateDecision {
  if (count <= limit) return { allowed: true, retryAfter: 0, remaining: limit - count };
  return { allowed: false, retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)), remaining: 0 };
}

/** In-memory limiter: at most `maxKeys` windows are kept; expired ones are swept, then the oldest dropped. */
export function memoryRateLimiter(opts: { limit: number; secret: string; maxKeys?: number; windowMs?: number }): RateLimiter {
  const maxKeys = opts.maxKeys ?? 100_000;
  const windowMs = opts.windowMs ?? MINUTE_MS;
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(subject, now = Date.now()) {
      const key = hashAddress(opts.secret, limitSubject(subject), now);
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        if (w) windows.delete(key);
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
          // Still full: drop the oldest windows (Map keeps insertion order).
          for (const k of windows.keys()) {
            if (windows.size < maxKeys) break;
            windows.delete(k);
          }
        }
        w = { count: 0, resetAt: now - (now % windowMs) + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return decide(w.count, opts.limit, w.resetAt, now);
    },
    async undo(subject, now = Date.now()) {
      const w = windows.get(hashAddress(opts.secret, limitSubject(subject), now));
      if (w && w.resetAt > now && w.count > 0) w.count--;
    },
    async close() {
      windows.clear();
    },
  };
}

const UNDO_SCRIPT = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0";

/** Redis limiter: INCR on a key per window that expires with it (one round trip, MULTI). */
export function redisRateLimiter(opts: {
  limit: number;
  secret: string;
  url: string;
  redis?: Redis;
  windowMs?: number;
  /** Keeps limiters with different windows or purposes apart in Redis. */
  name?: string;
}): RateLimiter {
  const windowMs = opts.windowMs ?? MINUTE_MS;
  const prefix = opts.name ? `streamscope:rl:${opts.name}` : "streamscope:rl";
  const redis =
    opts.redis ??
    new Redis(opts.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      commandTimeout: 250,
      connectTimeout: 2000,
      lazyConnect: false,
    });
  let warned = 0;
  redis.on("error", () => {});
  const keyOf = (subject: string, now: number) => {
    const windowStart = now - (now % windowMs);
    return { key: `${prefix}:${hashAddress(opts.secret, limitSubject(subject), now)}:${windowStart}`, resetAt: windowStart + windowMs };
  };
  const warn = (err: unknown, now: number) => {
    if (now - warned > 60_000) {
      warned = now;
      log.warn({ err: (err as Error).message }, "rate limiter: Redis unavailable, letting requests through");
    }
  };
  return {
    async hit(subject, now = Date.now()) {
      const { key, resetAt } = keyOf(subject, now);
      try {
        const res = await redis.multi().incr(key).pexpire(key, windowMs + 1000).exec();
        const count = Number(res?.[0]?.[1] ?? 0);
        return decide(count, opts.limit, resetAt, now);
      } catch (err) {
        warn(err, now);
        return { allowed: true, retryAfter: 0, remaining: opts.limit };
      }
    },
    async undo(subject, now = Date.now()) {
      try {
        // Only a window that still exists: a DECR would create a key without expiry.
        await redis.eval(UNDO_SCRIPT, 1, keyOf(subject, now).key);
      } catch (err) {
        warn(err, now);
      }
    },
    async close() {
      if (!opts.redis) redis.disconnect();
    },
  };
}

/** The limiter the environment asks for. Without RATE_LIMIT_SECRET, NEXTAUTH_SECRET keys the hash, else a per-process random key. */
export function rateLimiterFromEnv(env: {
  REDIS_URL?: string;
  RATE_LIMIT_PER_MINUTE: number;
  RATE_LIMIT_SECRET?: string;
  NEXTAUTH_SECRET?: string;
}): RateLimiter {
  const secret = env.RATE_LIMIT_SECRET || env.NEXTAUTH_SECRET || randomBytes(32).toString("hex");
  if (env.REDIS_URL) return redisRateLimiter({ limit: env.RATE_LIMIT_PER_MINUTE, secret, url: env.REDIS_URL });
  return memoryRateLimiter({ limit: env.RATE_LIMIT_PER_MINUTE, secret });
}
