// Typed client for Bunny Stream's statistics API. Each attempt has a timeout; 429, 5xx, timeouts
// and network errors are retried with exponential backoff (Retry-After wins when Bunny sends it);
// 401/403/404 fail at once with a message naming the library or video.
import { parseStatistics, BunnyParseError, type BunnyStatistics, type WatchTimeUnit } from "./statistics";


export type BunnyErrorKind =
  | "unauthorized"
  | "not_found"
  | "bad_request"
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "malformed";

export class BunnyApiError extends Error {
  constructor(
    message: string,
    readonly kind: BunnyErrorKind,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "BunnyApiError";
  }
}

export interface BunnyClientOptions {
  apiKey: string;
  /** BUNNY_API_URL (src/env.ts has its default). */
  apiUrl: string;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First backoff delay; doubles each retry (default 500 ms). */
  baseDelayMs?: number;
  /** Ceiling of one backoff or Retry-After wait (default 30 s). */
  maxDelayMs?: number;
  watchTimeUnit?: WatchTimeUnit;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface StatisticsQuery {
  libraryId: string;
  videoGuid?: string;
  /** UTC; a Date or a string Bunny understands (`YYYY-MM-DD` or ISO date-time). */
  dateFrom?: Date | string;
  dateTo?: Date | string;
  hourly?: boolean;
}

const RETRYABLE: ReadonlySet<BunnyErrorKind> = new Set(["rate_limited", "server", "timeout", "network"]);

function isoParam(v: Date | string): string {
  return v instanceof Date ? v.toISOString().replace(/\.\d{3}Z$/, "Z") : v;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const v = header.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class BunnyClient {
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly unit: WatchTimeUnit;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: BunnyClientOptions) {
    if (!opts.apiKey) throw new Error("BunnyClient needs an API key (BUNNY_API_KEY)");
    this.apiUrl = opts.apiUrl.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxRetries = opts.maxRetries ?? 4;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.unit = opts.watchTimeUnit ?? "seconds";
    this.doFetch = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  statisticsUrl(q: StatisticsQuery): string {
    const url = new URL(`${this.apiUrl}/library/${encodeURIComponent(q.libraryId)}/statistics`);
    if (q.dateFrom !== undefined) url.searchParams.set("dateFrom", isoParam(q.dateFrom));
    if (q.dateTo !== undefined) url.searchParams.set("dateTo", isoParam(q.dateTo));
    if (q.hourly !== undefined) url.searchParams.set("hourly", String(q.hourly));
    if (q.videoGuid) url.searchParams.set("videoGuid", q.videoGuid);
    return url.toString();
  }

  async getStatistics(q: StatisticsQuery): Promise<BunnyStatistics> {
    if (!q.libraryId) throw new BunnyApiError("Bunny library id is missing (BUNNY_LIBRARY_ID or the stream's provider)", "bad_request", null, 0);
    const url = this.statisticsUrl(q);
    const what = q.videoGuid ? `video ${q.videoGuid} in library ${q.libraryId}` : `library ${q.libraryId}`;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(url, q, what, attempt);
      if (!(result instanceof BunnyApiError)) return result;
      const retriesLeft = attempt <= this.maxRetries;
      if (!RETRYABLE.has(result.kind) || !retriesLeft) {
        if (RETRYABLE.has(result.kind) && attempt > 1) {
          throw new BunnyApiError(`${result.message} (gave up after ${attempt} attempts)`, result.kind, result.status, attempt);
        }
        throw result;
      }
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      const hinted = result.retryAfter;
      await this.sleep(hinted !== null ? Math.min(this.maxDelayMs, hinted) : backoff);
    }
  }

  private async attempt(url: string, q: StatisticsQuery, what: string, attempt: number): Promise<BunnyStatistics | (BunnyApiError & { retryAfter: number | null })> {
    const fail = (message: string, kind: BunnyErrorKind, status: number | null, retryAfter: number | null = null) =>
      Object.assign(new BunnyApiError(message, kind, status, attempt), { retryAfter });
    let res: Response;
    try {
      res = await this.doFetch(url, {
        headers: { AccessKey: this.opts.apiKey, Accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
        cache: "no-store",
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      if (name === "TimeoutError" || name === "AbortError") {
        return fail(`Bunny statistics for ${what} timed out after ${this.timeoutMs} ms`, "timeout", null);
      }
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      return fail(`Bunny statistics for ${what}: cannot reach ${new URL(url).origin}: ${cause}`, "network", null);
    }
    if (res.ok) {
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        const name = err instanceof Error ? err.name : "";
        if (name === "TimeoutError" || name === "AbortError") {
          return fail(`Bunny statistics for ${what} timed out after ${this.timeoutMs} ms`, "timeout", null);
        }
        return fail(`Bunny statistics for ${what}: the answer was cut off`, "network", null);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return fail(`Bunny statistics for ${what}: the answer is not JSON (${text.slice(0, 60).replace(/\s+/g, " ")}…)`, "malformed", res.status);
      }
      try {
        return parseStatistics(body, this.unit);
      } catch (err) {
        if (err instanceof BunnyParseError) return fail(`Bunny statistics for ${what}: ${err.message}`, "malformed", res.status);
        throw err;
      }
    }
    await res.body?.cancel().catch(() => {});
    const s = res.status;
    if (s === 401 || s === 403) {
      return fail(`Bunny refused the API key for library ${q.libraryId} (${s}): check that BUNNY_API_KEY is that library's Stream API key`, "unauthorized", s);
    }
    if (s === 404) return fail(`Bunny does not know ${what} (404): check the library id and video GUID`, "not_found", s);
    if (s === 429) return fail(`Bunny rate-limited the statistics request for ${what} (429)`, "rate_limited", s, retryAfterMs(res.headers.get("retry-after")));
    if (s >= 500) return fail(`Bunny answered ${s} for the statistics of ${what}`, "server", s, retryAfterMs(res.headers.get("retry-after")));
    return fail(`Bunny answered ${s} for the statistics of ${what}`, "bad_request", s);
  }
}
