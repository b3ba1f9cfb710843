// Closed lists the API, the UI and the database share. Lists that mirror a database enum are
// checked against the Prisma enums by catalog.test.ts, so drift fails `npm test`.

/** Device classes of docs/metrics.md ("devices"), prisma `DeviceClass`. */
export const DEVICE_CLASSES = ["desktop", "mobile", "tablet", "tv", "other"] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** Where a stream plays from, prisma `ProviderKind`. */
export const PROVIDER_KINDS = ["bunny_stream", "youtube"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A stream's lifecycle, prisma `StreamStatus`. */
export const STREAM_STATUSES = ["scheduled", "live", "ended"] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

/** The scheduled jobs (vercel.json's crons, npm run jobs:*, the worker). */
export const JOB_NAMES = ["aggregate", "bunny-sync", "partitions", "retention"] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** A job run's outcome, prisma `JobStatus`. */
export const JOB_STATUSES = ["running", "succeeded", "failed", "skipped"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The country code of a session whose country is not known. */
export const UNKNOWN_COUNTRY = "ZZ";

/** Page sizes the streams table offers; the API takes any size from 1 to MAX_STREAMS_PAGE_SIZE. */
export const STREAMS_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_STREAMS_PAGE_SIZE = 25;
export const MAX_STREAMS_PAGE_SIZE = 100;

/**
 * The moves a stream's status may make. Going live stamps the actual start (once), ending stamps
 * the actual end; an ended stream may go live again (a resumed event), which clears the end.
 */
export const STREAM_STATUS_MOVES: Record<StreamStatus, readonly StreamStatus[]> = {
  scheduled: ["live", "ended"],
  live: ["ended"],
  ended: ["live"],
};

/** What a REST API token may do, prisma `ApiTokenScope`: `write` includes `read`. */
export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
