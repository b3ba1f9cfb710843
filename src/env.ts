// Every environment variable the app reads, validated with zod. Entry points call loadEnv() at
// start-up so a missing or malformed variable stops the process with a message naming it;
// `.env.example` documents each one.
import { z } from "zod";
import { parseOrigins } from "~/lib/csp";
import { parseTrustProxy } from "~/lib/trustProxy";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const intWithDefault = (def: number, min = 0) =>
  z.preprocess((v) => (v === "" || v === undefined ? def : Number(v)), z.number().int().min(min));

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
  EMBEDDED_DB_DIR: optionalString,
  EMBEDDED_DB_PORT: intWithDefault(5499, 0),
  DB_POOL_MAX: intWithDefault(0, 0),
  // HTTP server (self-hosted).
  HOST: z.string().default("0.0.0.0"),
  PORT: intWithDefault(3000, 0),
  // Auth.
  // Required by the web server (loadServerEnv), not by the command-line jobs.
  NEXTAUTH_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  NEXTAUTH_URL: optionalUrl,
  // Jobs: Vercel Cron sends `Authorization: Bearer $CRON_SECRET`; unset → cron routes answer 503.
  CRON_SECRET: optionalString,
  // Ingestion.
  REDIS_URL: optionalUrl,
  RATE_LIMIT_PER_MINUTE: intWithDefault(600, 1),
  RATE_LIMIT_SECRET: optionalString,
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
  BUNNY_API_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().default("https://video.bunnycdn.com")),
  BUNNY_API_KEY: optionalString,
  BUNNY_LIBRARY_ID: optionalString,
  // Unit of Bunny's watchTimeChart/countryWatchTime (its docs name none; seconds by default).
  BUNNY_WATCH_TIME_UNIT: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["seconds", "milliseconds", "minutes"]).default("seconds")),
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
