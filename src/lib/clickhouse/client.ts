// The ClickHouse client of this process, from CLICKHOUSE_URL (http://user:password@host:8123/database).
// Unset → ClickHouse is off and every query runs on PostgreSQL (see src/lib/db/runQuery.ts).
// ClickHouse 18.16 (Debian's package, the only version tested) has no query parameters
// ({name:Type} came in 19.x), so values are inlined through the escaping helpers below — never
// by string concatenation of raw input.
import { createClient, type ClickHouseClient } from "@clickhouse/client";
import { env } from "~/env";

export interface ClickHouseTarget {
  /** Server origin, e.g. http://127.0.0.1:8123 */
  url: string;
  database: string;
  username: string;
  password: string;
}

/** Splits CLICKHOUSE_URL into server, database (the path; default `streamscope`) and credentials. */
export function parseClickHouseUrl(raw: string): ClickHouseTarget {
  const u = new URL(raw);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("CLICKHOUSE_URL must be an http:// or https:// URL");
  const database = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, "")) || "streamscope";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`CLICKHOUSE_URL: invalid database name "${database}"`);
  return {
    url: `${u.protocol}//${u.host}`,
    database,
    username: decodeURIComponent(u.username) || "default",
    password: decodeURIComponent(u.password),
  };
}

export function isClickHouseEnabled(): boolean {
  return Boolean(env.CLICKHOUSE_URL?.trim());
}

export function createClickHouse(raw: string, opts: { database?: string | null; longQueries?: boolean } = {}): ClickHouseClient {
  const t = parseClickHouseUrl(raw);
  return createClient({
    url: t.url,
    username: t.username,
    password: t.password,
    // null: no database (to create it); undefined: the URL's.
    database: opts.database === null ? "default" : (opts.database ?? t.database),
    // Backfill and benchmarks: long queries keep the connection alive with progress headers.
    ...(opts.longQueries
      ? { request_timeout: 1_800_000, clickhouse_settings: { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: "10000" } }
      : { clickhouse_settings: {} }),
    compression: { request: false, response: false },
  });
}

const globalForCh = globalThis as unknown as { streamscopeClickHouse?: { url: string; client: ClickHouseClient } };

/** The process's client for CLICKHOUSE_URL (recreated if the variable changes, e.g. in tests). */
export function getClickHouse(): ClickHouseClient {
  const url = env.CLICKHOUSE_URL?.trim();
  if (!url) throw new Error("CLICKHOUSE_URL is not set");
  const cached = globalForCh.streamscopeClickHouse;
  if (cached && cached.url === url) return cached.client;
  if (cached) void cached.client.close();
  const client = createClickHouse(url);
  globalForCh.streamscopeClickHouse = { url, client };
  return client;
}

export async function closeClickHouse(): Promise<void> {
  const cached = globalForCh.streamscopeClickHouse;
  globalForCh.streamscopeClickHouse = undefined;
  await cached?.client.close();
}

// ---------------------------------------------------------------- literals

/** A ClickHouse string literal: backslash and quote escaped (ClickHouse string syntax). */
export function chString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\0/g, "\\0")}'`;
}

/** A finite number literal; anything else is refused (never inlined). */
export function chNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

export function chInt(n: number | bigint): string {
  if (typeof n === "bigint") return n.toString();
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function chUuid(s: string): string {
  if (!UUID_RE.test(s)) throw new Error(`not a UUID: ${s}`);
  return `toUUID('${s.toLowerCase()}')`;
}

/** `(a, b, c)` for IN lists; an empty list becomes a list that matches nothing of that type. */
export function chList<T>(values: readonly T[], lit: (v: T) => string, empty = "NULL"): string {
  return values.length ? `(${values.map(lit).join(", ")})` : `(${empty})`;
}

/** Runs a SELECT and returns its rows (JSONEachRow; 64-bit integers arrive as strings). */
export async function chRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await client.query({ query, format: "JSONEachRow" });
  return rs.json<T>();
}

/** A statement without result rows (DDL, ALTER, INSERT … SELECT). */
export async function chExec(client: ClickHouseClient, query: string): Promise<void> {
  await client.command({ query });
}
