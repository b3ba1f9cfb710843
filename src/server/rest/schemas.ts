// The REST API's query and response shapes (zod): the route handlers parse with them, the OpenAPI
// document (openapi.ts) is generated from them, and the contract test validates real answers
// against that document. Inputs of the catalogue are the domain's own schemas (src/catalog/schema.ts).
import { z } from "zod";
import { addDays, defaultRange, rangeDays, ZAnalyticsFilterFields } from "~/analytics/filters";
import { API_TOKEN_SCOPES, DEVICE_CLASSES, PROVIDER_KINDS, STREAM_STATUSES } from "~/contract";

const instant = z.iso.datetime({ offset: true });
const nullableInstant = instant.nullable();

// ---------------------------------------------------------------- queries

const MAX_RANGE_DAYS = 3 * 366;
/** The minute series reads one row per minute: a week at most (10,080 points). */
export const MAX_MINUTE_RANGE_DAYS = 7;

const day = ZAnalyticsFilterFields.shape.from;

/** from/to as UTC days, both included; unset: the last 30 days (to today), or 30 days from `from`. */
export const ZRangeQuery = z
  .object({
    from: day.optional().describe("First UTC day, YYYY-MM-DD (default: 29 days before `to`)"),
    to: day.optional().describe("Last UTC day, included, YYYY-MM-DD (default: today)"),
  })
  .transform((v, ctx) => {
    const to = v.to ?? (v.from ? addDays(v.from, 29) : defaultRange().to);
    const from = v.from ?? addDays(to, -29);
    const days = rangeDays(from, to);
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after from" });
    else if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
    return { from, to };
  });

export const ZSeriesQuery = z
  .object({
    granularity: z.enum(["day", "minute"], { error: "must be day or minute" }).default("day"),
    from: day.optional().describe("First UTC day, YYYY-MM-DD"),
    to: day.optional().describe("Last UTC day, included, YYYY-MM-DD"),
  })
  .transform((v, ctx) => {
    // Minutes: the last day by default; days: the last 30.
    const span = v.granularity === "minute" ? 0 : 29;
    const to = v.to ?? (v.from ? addDays(v.from, span) : defaultRange().to);
    const from = v.from ?? addDays(to, -span);
    const days = rangeDays(from, to);
    const max = v.granularity === "minute" ? MAX_MINUTE_RANGE_DAYS : MAX_RANGE_DAYS;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after from" });
    else if (days > max) ctx.addIssue({ code: "custom", path: ["to"], message: `the range may span at most ${max} days for granularity=${v.granularity}` });
    return { granularity: v.granularity, from, to };
  });

export const ZBreakdownQuery = z.object({ by: z.enum(["country", "device"], { error: "must be country or device" }) });

// ---------------------------------------------------------------- responses

export const ZOrganizerOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  streamCount: z.int().min(0).describe("Streams not archived"),
  archivedAt: nullableInstant,
  createdAt: instant,
  updatedAt: instant,
});

export const ZProviderOut = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("bunny_stream"), libraryId: z.string().nullable(), videoGuid: z.string().nullable(), playbackHost: z.string().nullable() }),
    z.object({ kind: z.literal("youtube"), videoId: z.string().nullable() }),
  ])
  .nullable();

export const ZStreamOut = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(STREAM_STATUSES),
  organizer: z.object({ id: z.string(), name: z.string() }),
  provider: ZProviderOut,
  scheduledStartAt: nullableInstant,
  scheduledEndAt: nullableInstant,
  startedAt: nullableInstant.describe("Stamped when the stream first goes live"),
  endedAt: nullableInstant.describe("Stamped when the stream ends"),
  archivedAt: nullableInstant,
  createdAt: instant,
  updatedAt: instant,
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last") });

/** docs/metrics.md's figures over a range (the dashboard's streams table, for one stream). */
export const ZFigures = z.object({
  uniqueViewers: z.int().min(0),
  sessions: z.int().min(0),
  watchSeconds: z.number().min(0),
  avgWatchSeconds: z.number().min(0),
  peakConcurrent: z.int().min(0),
  bufferRatio: z.number().min(0),
  errorRate: z.number().min(0).max(1),
  startupMsAvg: z.number().nullable(),
  startupMsP95: z.number().nullable(),
});

export const ZStatsOut = z.object({ streamId: z.string(), from: z.string(), to: z.string(), figures: ZFigures });

export const ZSeriesOut = z.discriminatedUnion("granularity", [
  z.object({
    streamId: z.string(),
    granularity: z.literal("day"),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ day: z.string(), viewers: z.int().min(0), sessions: z.int().min(0), watchSeconds: z.number().min(0) })),
  }),
  z.object({
    streamId: z.string(),
    granularity: z.literal("minute"),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ t: instant, viewers: z.int().min(0) })).describe("Peak concurrent viewers of each minute"),
  }),
]);

export const ZBreakdownOut = z.object({
  streamId: z.string(),
  by: z.enum(["country", "device"]),
  calculatedAt: nullableInstant.describe("When the aggregation job last computed these (null: not yet)"),
  items: z.array(
    z.object({
      key: z.string().describe("ISO 3166 alpha-2 country (ZZ unknown), or a device class: " + DEVICE_CLASSES.join(", ")),
      sessions: z.int().min(0),
      watchSeconds: z.number().min(0).nullable(),
    }),
  ),
});

export const ZLiveOut = z.object({
  asOf: instant,
  windowSeconds: z.int(),
  totalCurrentViewers: z.int().min(0),
  streams: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      organizer: z.object({ id: z.string(), name: z.string() }),
      provider: z.enum(PROVIDER_KINDS).nullable(),
      startedAt: nullableInstant,
      currentViewers: z.int().min(0),
      sessionsLastHour: z.int().min(0),
      peakConcurrent: z.int().min(0),
      lastHour: z.array(z.object({ t: instant, viewers: z.int().min(0) })),
    }),
  ),
});

export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const SCOPES = API_TOKEN_SCOPES;
