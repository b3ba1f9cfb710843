// Parser for Bunny Stream's statistics answer (GET /library/{libraryId}/statistics):
//   { viewsChart: { date: n }, watchTimeChart: { date: n }, countryViewCounts: { country: n },
//     countryWatchTime: { country: n }, engagementScore: n }
// Chart keys come as `YYYY-MM-DD` or as ISO date-times (`2026-11-20T00:00:00Z`, with or without a
// zone; Bunny's intervals are UTC, so a key without a zone is read as UTC).
import { z } from "zod";

/** Units Bunny's watch time could be counted in; see WATCH_TIME_UNIT_SECONDS. */
export type WatchTimeUnit = "seconds" | "milliseconds" | "minutes";

// Bunny's reference (docs.bunny.net/reference/video_getvideostatistics) and its statistics page
// describe watchTimeChart as "the cumulative time viewers spent watching" per UTC interval without
// naming a unit; the video object's totalWatchTime/averageWatchTime are seconds. We read seconds by
// default and let BUNNY_WATCH_TIME_UNIT say otherwise, so a library that reports another unit is
// one setting away from correct figures.
const WATCH_TIME_UNIT_SECONDS: Record<WatchTimeUnit, number> = {
  seconds: 1,
  milliseconds: 0.001,
  minutes: 60,
};

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A chart key as the UTC instant it starts, or null when it is not a date. */
export function parseChartKey(key: string): Date | null {
  const k = key.trim();
  if (DAY_RE.test(k)) {
    const d = new Date(`${k}T00:00:00Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== k ? null : d;
  }
  if (DATETIME_RE.test(k)) {
    let iso = k.replace(" ", "T");
    // .NET writes up to 7 fractional digits; Date understands 3.
    iso = iso.replace(/(\.\d{3})\d+/, "$1");
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += "Z";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

const count = z.number().finite().nonnegative();

// Bunny leaves a chart out (or sends null) when it has nothing for the range: read that as empty.
const chart = z
  .record(z.string(), count)
  .nullish()
  .transform((v) => v ?? {})
  .superRefine((v, ctx) => {
    for (const key of Object.keys(v)) {
      if (!parseChartKey(key)) {
        ctx.addIssue({ code: "custom", message: `key "${key}" is not a date (YYYY-MM-DD or ISO date-time)`, path: [key] });
      }
    }
  });

const countries = z
  .record(z.string(), count)
  .nullish()
  .transform((v) => v ?? {});

const statisticsSchema = z.object({
  viewsChart: chart,
  watchTimeChart: chart,
  countryViewCounts: countries,
  countryWatchTime: countries,
  engagementScore: z.number().finite().nullish().transform((v) => v ?? null),
});

export interface BunnyStatistics {
  /** Views per interval, keyed by the interval's UTC start as an ISO string. */
  views: Record<string, number>;
  /** Watch seconds per interval, keyed like `views`. */
  watchSeconds: Record<string, number>;
  /** Views per country (ISO-3166 alpha-2 upper-cased when the key is one). */
  countryViews: Record<string, number>;
  /** Watch seconds per country. */
  countryWatchSeconds: Record<string, number>;
  engagementScore: number | null;
  /** The answer as Bunny sent it, kept in bunny_video_stats.raw_payload. */
  raw: unknown;
}

export class BunnyParseError extends Error {}

function normalizeChart(c: Record<string, number>, factor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(c)) {
    const at = parseChartKey(key)!.toISOString();
    out[at] = (out[at] ?? 0) + value * factor;
  }
  return out;
}

function normalizeCountries(c: Record<string, number>, factor: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(c)) {
    const k = key.trim();
    const code = /^[a-z]{2}$/i.test(k) ? k.toUpperCase() : k || "ZZ";
    out[code] = (out[code] ?? 0) + value * factor;
  }
  return out;
}

/** Validates and normalises an answer; throws BunnyParseError naming the first bad field. */
export function parseStatistics(raw: unknown, unit: WatchTimeUnit = "seconds"): BunnyStatistics {
  const parsed = statisticsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.map(String).join(".") : "body";
    throw new BunnyParseError(`unexpected Bunny statistics answer: ${where}: ${issue.message}`);
  }
  const factor = WATCH_TIME_UNIT_SECONDS[unit];
  const s = parsed.data;
  return {
    views: normalizeChart(s.viewsChart, 1),
    watchSeconds: normalizeChart(s.watchTimeChart, factor),
    countryViews: normalizeCountries(s.countryViewCounts, 1),
    countryWatchSeconds: normalizeCountries(s.countryWatchTime, factor),
    engagementScore: s.engagementScore,
    raw,
  };
}

/** Sums a chart (hourly or daily) into UTC days. */
export function sumByDay(c: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [at, value] of Object.entries(c)) {
    const day = at.slice(0, 10);
    out[day] = (out[day] ?? 0) + value;
  }
  return out;
}
