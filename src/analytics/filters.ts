// What an admin asks the read model for: a range of UTC days (both ends included), organizer,
// provider, status and a title search, plus the streams table's sort and page. Shared by the tRPC
// inputs, the URL parsing (searchParams.ts), the queries and the dashboard's client components, so
// it imports nothing but zod and src/contract (no server-only, no database).
import { z } from "zod";
import { DEFAULT_STREAMS_PAGE_SIZE, MAX_STREAMS_PAGE_SIZE, PROVIDER_KINDS, STREAM_STATUSES } from "~/contract";

const MAX_RANGE_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "is not a real day");

export const ZAnalyticsFilterFields = z.object({
  from: isoDay,
  to: isoDay,
  organizerId: z.string().trim().min(1).max(100).optional(),
  /** One stream (the REST API's per-stream figures). */
  streamId: z.string().trim().min(1).max(200).optional(),
  provider: z.enum(PROVIDER_KINDS).optional(),
  status: z.enum(STREAM_STATUSES).optional(),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : undefined)),
});

/** Adds the checks that span fields (to ≥ from, at most MAX_RANGE_DAYS). */
function withRangeCheck<T extends z.ZodType<{ from: string; to: string }>>(schema: T) {
  return schema.superRefine((v, ctx) => {
    const days = rangeDays(v.from, v.to);
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after from" });
    else if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });
}

export const ZAnalyticsFilters = withRangeCheck(ZAnalyticsFilterFields);
export type AnalyticsFilters = z.input<typeof ZAnalyticsFilterFields>;

// The streams table: its sortable columns, direction and page.
export const streamSortKeys = [
  "title",
  "organizer",
  "startedAt",
  "uniqueViewers",
  "sessions",
  "watchSeconds",
  "avgWatchSeconds",
  "peakConcurrent",
  "bufferRatio",
  "errorRate",
  "startupMsAvg",
] as const;
export type StreamSortKey = (typeof streamSortKeys)[number];
export const DEFAULT_SORT: StreamSortKey = "uniqueViewers";
export const ZSortDir = z.enum(["asc", "desc"]);
export type SortDir = z.infer<typeof ZSortDir>;
export const ZPage = z.number().int().min(1).max(100_000);
export const ZPageSize = z.number().int().min(1).max(MAX_STREAMS_PAGE_SIZE);

export const ZStreamsInput = withRangeCheck(
  ZAnalyticsFilterFields.extend({
    sort: z.enum(streamSortKeys).default(DEFAULT_SORT),
    dir: ZSortDir.default("desc"),
    page: ZPage.default(1),
    pageSize: ZPageSize.default(DEFAULT_STREAMS_PAGE_SIZE),
  }),
);
export type TStreamsInput = z.infer<typeof ZStreamsInput>;

/** Number of days in [from, to], both included. */
export function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The half-open instant range [start, end) covering the days [from, to]. */
export function rangeInstants(from: string, to: string): { start: Date; end: Date } {
  return { start: new Date(`${from}T00:00:00Z`), end: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) };
}

/** The period of the same length just before [from, to] (for the KPI deltas). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = rangeDays(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** The default range: the last 30 days up to today (UTC). */
export function defaultRange(now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  return { from: addDays(to, -29), to };
}
