// Every environment variable the app reads, validated with zod, each with its one default. This is
// the only module that touches process.env (lint enforces it): the app reads `env.NAME`; entry
// points call loadEnv() at start-up so a missing or malformed variable stops the process with a
// message naming it; `.env.example` documents each one.
import { z } from "zod";
import { parseOrigins } from "~/lib/csp";
import { parseTrustProxy } from "~/lib/trustProxy";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const intWithDefault = (def: number, min = 0) =>
  z.preprocess((v) => (v === "" || v === undefined ? def : Number(v)), z.number().int().min(min));
// Surrounding spaces (a pasted key) are not part of the value.
const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() || undefined : v);
const optionalInt = (min = 0) => z.preprocess((v) => (v === "" || v === undefined ? undefined : Number(v)), z.number().int().min(min).optional());

const originList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    try {
      return parseOrigins(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  // Database: unset → embedded PGlite in EMBEDDED_DB_DIR served on EMBEDDED_DB_PORT.
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional(),
  ),
  EMBEDDED_DB_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().default(".data/pglite")),
  EMBEDDED_DB_PORT: intWithDefault(5499, 0),
  // Connections per process; unset: 10, or 4 on the embedded database (src/lib/db/pool.ts).
  DB_POOL_MAX: optionalInt(1),
  // "1" when DATABASE_URL is the embedded database: set by the app itself (recordEmbeddedDatabase), so
  // its child processes know too. Not a setting.
  STREAMSCOPE_EMBEDDED_DB: z.preprocess((v) => v === "1", z.boolean()),
  // HTTP server (self-hosted).
  // Unset: 0.0.0.0 for `npm start`, 127.0.0.1 for `npm run demo` (a demo is not for the network).
  HOST: optionalString,
  PORT: intWithDefault(3000, 0),
  // Auth.
  // Required by the web server (loadServerEnv), not by the command-line jobs.
  NEXTAUTH_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  NEXTAUTH_URL: optionalUrl,
  // Jobs: Vercel Cron sends `Authorization: Bearer $CRON_SECRET`; unset → cron routes answer 503.
  CRON_SECRET: optionalString,
  // `npm start` and the demo run the scheduled jobs in-process (vercel.json's crons); "off" on Vercel
  // (Vercel Cron calls the routes) or when `npm run worker` runs apart.
  SCHEDULER: z.preprocess((v) => (v === "" || v === undefined ? "on" : v), z.enum(["on", "off"], { error: "must be on or off" })),
  // The aggregation's period for the scheduler, e.g. 30s, 5m (unset: vercel.json's schedule).
  AGGREGATE_EVERY: optionalString.pipe(z.string().regex(/^[1-9]\d*(s|m|h)$/, "must be a period like 30s, 5m or 1h").optional()),
  // Ingestion.
  REDIS_URL: optionalUrl,
  RATE_LIMIT_PER_MINUTE: intWithDefault(600, 1),
  RATE_LIMIT_SECRET: optionalString,
  // REST API (/api/v1): requests per minute per token.
  API_RATE_LIMIT_PER_MINUTE: intWithDefault(300, 1),
  // Proxies in front (src/lib/clientAddress.ts): a number of hops counted from the right of
  // X-Forwarded-For, or their addresses / CIDR ranges. Unset: the socket's address.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  // The one request header believed for the viewer's country (e.g. cf-ipcountry behind Cloudflare).
  // Unset: Vercel's x-vercel-ip-country on Vercel, else GeoIP only.
  TRUSTED_GEO_HEADER: optionalString.pipe(
    z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, "must be a header name, e.g. cf-ipcountry").optional(),
  ),
  // Set to 1 by Vercel itself.
  VERCEL: z.preprocess((v) => v === "1", z.boolean()),
  // npm start answers POST /api/analytics/events without Next.js (docs/architecture.md); 0 turns that off.
  INGEST_FAST_PATH: z.preprocess((v) => v !== "0" && v !== "false", z.boolean()),
  // Bunny Stream statistics API.
  BUNNY_API_URL: z.preprocess(trimmed, z.string().url().default("https://video.bunnycdn.com")),
  BUNNY_API_KEY: z.preprocess(trimmed, z.string().optional()),
  BUNNY_LIBRARY_ID: z.preprocess(trimmed, z.string().optional()),
  // Unit of Bunny's watchTimeChart/countryWatchTime (its docs name none; seconds by default).
  BUNNY_WATCH_TIME_UNIT: z.preprocess(
    (v) => (typeof v === "string" ? trimmed(v.toLowerCase()) : v),
    z.enum(["seconds", "milliseconds", "minutes"], { error: "not one of seconds, milliseconds, minutes" }).default("seconds"),
  ),
  // Observability and retention.
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  METRICS_TOKEN: optionalString,
  RETENTION_MONTHS: intWithDefault(13, 1),
  // ClickHouse as the raw-event store (docs/scaling.md): http(s)://user:password@host:8123/database.
  // Unset → raw events stay in PostgreSQL.
  CLICKHOUSE_URL: optionalUrl,
  // Player embedded on another origin: where it sends events.
  NEXT_PUBLIC_API_URL: optionalUrl,
  // Content Security Policy (src/lib/csp.ts): origins the players may load video from besides this
  // app and Bunny's CDN, and the sites that may embed the stream page (unset: any site).
  PLAYBACK_ORIGINS: originList,
  EMBED_ORIGINS: originList,
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

let cached: Env | undefined;

/** Parses process.env once; throws EnvError naming every missing or malformed variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join(".");
      const missing = source[name] === undefined || source[name] === "";
      return `  - ${name}: ${missing ? "missing" : i.message}`;
    });
    throw new EnvError(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/**
 * loadEnv() plus what only the web server needs: NEXTAUTH_SECRET, and in production outside
 * Vercel NEXTAUTH_URL (next-auth takes the cookies' Secure flag from it, and the request's own
 * Host header is not to be trusted for redirects).
 */
export function loadServerEnv(source: NodeJS.ProcessEnv = process.env): Env & { NEXTAUTH_SECRET: string } {
  const env = loadEnv(source);
  const missing: string[] = [];
  if (!env.NEXTAUTH_SECRET) missing.push("  - NEXTAUTH_SECRET: missing");
  if (env.NODE_ENV === "production" && !env.VERCEL && !env.NEXTAUTH_URL) {
    missing.push("  - NEXTAUTH_URL: missing (required in production outside Vercel: the app's public URL, e.g. https://stats.example.com)");
  }
  if (missing.length) throw new EnvError(`Invalid environment (see .env.example):\n${missing.join("\n")}`);
  return env as Env & { NEXTAUTH_SECRET: string };
}

/** For tests that change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}

// ---------------------------------------------------------------- reading at run time

const lastRead = new Map<keyof Env, { raw: string | undefined; value: unknown }>();

function read<K extends keyof Env>(name: K): Env[K] {
  // Next.js bakes NEXT_PUBLIC_* into its bundles at build time where written out in full: this
  // literal read keeps a value given only to `next build` (elsewhere it reads the running process).
  const raw = name === "NEXT_PUBLIC_API_URL" ? process.env.NEXT_PUBLIC_API_URL : process.env[name];
  const last = lastRead.get(name);
  if (last && last.raw === raw) return last.value as Env[K];
  const parsed = envSchema.shape[name].safeParse(raw);
  if (!parsed.success) {
    const why = raw === undefined || raw === "" ? "missing" : (parsed.error.issues[0]?.message ?? "invalid");
    throw new EnvError(`Invalid environment (see .env.example): ${name}: ${why}`);
  }
  lastRead.set(name, { raw, value: parsed.data });
  return parsed.data as Env[K];
}

/**
 * The environment as the app reads it: `env.NAME` is that variable, parsed with its default. Each
 * read looks at process.env again and re-parses a variable whose text changed, so the process sees
 * what is set now (tests switch CLICKHOUSE_URL per test and set DATABASE_URL; recordEmbeddedDatabase()
 * records the embedded database). A malformed variable throws EnvError naming it when read; the
 * others stay readable (a route answers with that error, loadEnv() reports them all at start-up).
 */
export const env: Readonly<Env> = Object.defineProperties(
  {} as Env,
  Object.fromEntries((Object.keys(envSchema.shape) as (keyof Env)[]).map((name) => [name, { enumerable: true, get: () => read(name) }])),
);

/** ensureDatabaseUrl(): this process, and the processes it starts, use the embedded database at `url`. */
export function recordEmbeddedDatabase(url: string): void {
  process.env.DATABASE_URL = url;
  process.env.STREAMSCOPE_EMBEDDED_DB = "1";
}

/** The environment of a child process: this one's, with `overrides`. */
export function childProcessEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
