import { DEVICE_CLASSES } from "./catalog";

// The per-stream ratios of docs/metrics.md, once: as TypeScript for values already in memory and as
// SQL for the queries that compute them in the database. Each pair must agree (figures.test.ts).

/** buffer_ratio = Σ buffer_seconds / Σ watch_seconds, 0 without watch time. */
export function bufferRatio(bufferSeconds: number, watchSeconds: number): number {
  return watchSeconds > 0 ? bufferSeconds / watchSeconds : 0;
}

/** error_rate = sessions with an error / sessions, 0 without sessions. */
export function errorRate(errorSessions: number, sessions: number): number {
  return sessions > 0 ? errorSessions / sessions : 0;
}

/** avg_watch_seconds = Σ watch_seconds / sessions (average view duration), 0 without sessions. */
export function avgWatchSeconds(watchSeconds: number, sessions: number): number {
  return sessions > 0 ? watchSeconds / sessions : 0;
}

/** Average startup time over the sessions that reported one; null when none did. */
export function startupMsAvg(startupMsSum: number, startupSessions: number): number | null {
  return startupSessions > 0 ? startupMsSum / startupSessions : null;
}

/** `num / den` as float8, 0 when `den` is not positive (or NULL). Arguments are SQL expressions. */
function ratioSql(num: string, den: string): string {
  return `CASE WHEN coalesce(${den}, 0) > 0 THEN (${num})::float8 / (${den}) ELSE 0 END`;
}

/** SQL of bufferRatio(); the arguments are SQL expressions (columns or aggregates). */
export const bufferRatioSql = (bufferSeconds: string, watchSeconds: string) => ratioSql(bufferSeconds, watchSeconds);
/** SQL of errorRate(). */
export const errorRateSql = (errorSessions: string, sessions: string) => ratioSql(errorSessions, sessions);
/** SQL of avgWatchSeconds(). */
export const avgWatchSecondsSql = (watchSeconds: string, sessions: string) => ratioSql(watchSeconds, sessions);
/** SQL of startupMsAvg(). */
export const startupMsAvgSql = (startupMsSum: string, startupSessions: string) =>
  `CASE WHEN coalesce(${startupSessions}, 0) > 0 THEN (${startupMsSum})::float8 / (${startupSessions}) END`;

/** SQL of the devices figure: a JSON object of sessions per device class, every class present. */
export const deviceCountsSql = (deviceClass = "device_class") =>
  `jsonb_build_object(${DEVICE_CLASSES.map((d) => `'${d}', count(*) FILTER (WHERE ${deviceClass} = '${d}')`).join(", ")})`;
