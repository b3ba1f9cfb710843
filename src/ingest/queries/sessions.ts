// Ingestion's statements about viewers and their sessions, sent inside the group-commit writer's
// two round trips (src/ingest/writer.ts): lock each viewer, read each one's latest session (round
// trip 1), upsert every touched session (round trip 2). Sessions live in PostgreSQL whichever
// store holds the raw events. Values are inlined as escaped array literals (sqlArray).
import { createHash } from "node:crypto";
import type { DeviceClass, PlayerState } from "~/contract";
import type { SessionFigures } from "~/sessions/walk";
import { sqlArray } from "~/lib/db/sqlArray";

/** 64-bit advisory-lock key of a (stream, client) pair. */
function lockKey(streamId: string, clientId: string): bigint {
  return createHash("sha1").update(streamId).update("\0").update(clientId).digest().readBigInt64BE(0);
}

/**
 * Locks every viewer until the transaction ends (concurrent batches of one viewer, in this process
 * or another, take turns). Keys sorted: two groups cannot deadlock.
 */
export function lockViewersSql(viewers: readonly { streamId: string; clientId: string }[]): string {
  const keys = [...new Set(viewers.map((v) => lockKey(v.streamId, v.clientId)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `SELECT count(pg_advisory_xact_lock(k)) FROM unnest(${sqlArray(keys.map(String), "int8")}) AS k`;
}

/** A viewer_sessions row as latestSessionsSql returns it. */
export interface SessionRow {
  id: string;
  stream_id: string;
  client_id: string;
  started_at: Date;
  ended_at: Date;
  event_count: number;
  watch_seconds: number;
  buffer_seconds: number;
  has_error: boolean;
  startup_ms: number | null;
  last_state: PlayerState;
  saw_play: boolean;
  needs_rewalk: boolean;
}

/** Each viewer's latest session (by its last event), if it has one. */
export function latestSessionsSql(viewers: readonly { streamId: string; clientId: string }[]): string {
  return `SELECT v.id, v.stream_id, v.client_id, v.started_at, v.ended_at, v.event_count, v.watch_seconds,
            v.buffer_seconds, v.has_error, v.startup_ms, v.last_state, v.saw_play, v.needs_rewalk
       FROM unnest(${sqlArray(viewers.map((p) => p.streamId), "text")}, ${sqlArray(viewers.map((p) => p.clientId), "text")}) AS k(stream_id, client_id)
       CROSS JOIN LATERAL (
         SELECT * FROM viewer_sessions s
          WHERE s.stream_id = k.stream_id AND s.client_id = k.client_id
          ORDER BY s.ended_at DESC LIMIT 1) v`;
}

/** A session as upsertSessionsSql writes it: its walked figures (times in ms) and who watched. */
export interface SessionUpsert extends SessionFigures {
  id: string;
  streamId: string;
  clientId: string;
  /** The batch's that delivered its earliest event: an update takes them only with an earlier start. */
  country: string;
  deviceClass: DeviceClass;
  browser: string | null;
  os: string | null;
  needsRewalk: boolean;
}

/** Every touched session in one statement: new ones inserted, stored ones given their new figures. */
export function upsertSessionsSql(rows: readonly SessionUpsert[]): string {
  const col = <T extends string | number | boolean | null>(f: (r: SessionUpsert) => T) => rows.map(f);
  return `INSERT INTO viewer_sessions AS v (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
                                        event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, updated_at)
       SELECT id, s, c, to_timestamp(st), to_timestamp(en), co, dc::device_class, br, os, ec, ws, bs, he, su, ls::player_state, sp, nr, clock_timestamp()
         FROM unnest(${sqlArray(col((r) => r.id), "uuid")}, ${sqlArray(col((r) => r.streamId), "text")}, ${sqlArray(col((r) => r.clientId), "text")},
                     ${sqlArray(col((r) => r.startedAt / 1000), "float8")}, ${sqlArray(col((r) => r.endedAt / 1000), "float8")},
                     ${sqlArray(col((r) => r.country), "text")}, ${sqlArray(col((r) => r.deviceClass), "text")},
                     ${sqlArray(col((r) => r.browser), "text")}, ${sqlArray(col((r) => r.os), "text")},
                     ${sqlArray(col((r) => r.eventCount), "int4")}, ${sqlArray(col((r) => r.watchSeconds), "float8")},
                     ${sqlArray(col((r) => r.bufferSeconds), "float8")}, ${sqlArray(col((r) => r.hasError), "bool")},
                     ${sqlArray(col((r) => r.startupMs), "int4")}, ${sqlArray(col((r) => r.lastState), "text")},
                     ${sqlArray(col((r) => r.sawPlay), "bool")}, ${sqlArray(col((r) => r.needsRewalk), "bool")})
              AS u(id, s, c, st, en, co, dc, br, os, ec, ws, bs, he, su, ls, sp, nr)
       ON CONFLICT (id) DO UPDATE SET
         country = CASE WHEN EXCLUDED.started_at < v.started_at THEN EXCLUDED.country ELSE v.country END,
         device_class = CASE WHEN EXCLUDED.started_at < v.started_at THEN EXCLUDED.device_class ELSE v.device_class END,
         browser = CASE WHEN EXCLUDED.started_at < v.started_at THEN EXCLUDED.browser ELSE v.browser END,
         os = CASE WHEN EXCLUDED.started_at < v.started_at THEN EXCLUDED.os ELSE v.os END,
         started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, event_count = EXCLUDED.event_count,
         watch_seconds = EXCLUDED.watch_seconds, buffer_seconds = EXCLUDED.buffer_seconds, has_error = EXCLUDED.has_error,
         startup_ms = EXCLUDED.startup_ms, last_state = EXCLUDED.last_state, saw_play = EXCLUDED.saw_play,
         needs_rewalk = EXCLUDED.needs_rewalk, updated_at = EXCLUDED.updated_at`;
}

/**
 * Flags viewers for the job to re-sessionize (src/aggregation/resessionize.ts): a flag already
 * there widens to span both. Sent under the viewers' locks, like the job's read and delete of it.
 */
export function flagViewersSql(flags: readonly { streamId: string; clientId: string; from: number; to: number }[]): string {
  return `INSERT INTO viewer_session_flags AS f (stream_id, client_id, from_at, to_at)
       SELECT s, c, to_timestamp(a), to_timestamp(b)
         FROM unnest(${sqlArray(flags.map((f) => f.streamId), "text")}, ${sqlArray(flags.map((f) => f.clientId), "text")},
                     ${sqlArray(flags.map((f) => f.from / 1000), "float8")}, ${sqlArray(flags.map((f) => f.to / 1000), "float8")}) AS u(s, c, a, b)
       ON CONFLICT (stream_id, client_id) DO UPDATE SET
         from_at = least(f.from_at, EXCLUDED.from_at), to_at = greatest(f.to_at, EXCLUDED.to_at)`;
}
