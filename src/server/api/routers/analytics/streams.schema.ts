import { z } from "zod";
import { DEFAULT_STREAMS_PAGE_SIZE, MAX_STREAMS_PAGE_SIZE } from "~/contract";
import { ZAnalyticsFilterFields, withRangeCheck } from "./filters.schema";

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

export const ZStreamsInput = withRangeCheck(
  ZAnalyticsFilterFields.extend({
    sort: z.enum(streamSortKeys).default("uniqueViewers"),
    dir: z.enum(["asc", "desc"]).default("desc"),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(MAX_STREAMS_PAGE_SIZE).default(DEFAULT_STREAMS_PAGE_SIZE),
  }),
);

export type TStreamsInput = z.infer<typeof ZStreamsInput>;
