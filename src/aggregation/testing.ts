// Test fixtures for the aggregation tests: events and sessions written straight into the
// database the way ingestion leaves them (provisional figures, not finalized).
import { getPool } from "~/lib/db/pool";
import { walk, type EventType } from "~/sessions/walk";
import { MAX_STARTUP_MS } from "./walkSql";

export interface FixtureEvent {
  type: EventType;
  /** Seconds after the session's base time. */
  t: number;
  extra?: Record<string, unknown>;
}

export type DeviceClass = "desktop" | "mobile" | "tablet" | "tv" | "other";

let seqCounter = 1;

/**
 * Inserts one session row and its events. `base` is the time of t = 0. Provisional figures are
 * those of walk() unless `provisional` overrides them (to prove finalization recomputes).
 */
export async function insertSession(opts: {
  streamId: string;
  clientId: string;
  base: Date;
  events: FixtureEvent[];
  country?: string;
  device?: DeviceClass;
  finalized?: boolean;
  provisional?: { watchSeconds: number; bufferSeconds: number };
}): Promise<string> {
  const pool = getPool();
  const at = (e: FixtureEvent) => opts.base.getTime() + Math.round(e.t * 1000);
  const sorted = [...opts.events].sort((a, b) => a.t - b.t);
  const w = walk(sorted.map((e) => ({ type: e.type, at: at(e), extra: e.extra })));
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, event_count,
       watch_seconds, buffer_seconds, has_error, startup_ms, last_state, finalized_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      opts.streamId,
      opts.clientId,
      new Date(at(sorted[0]!)),
      new Date(at(sorted[sorted.length - 1]!)),
      opts.country ?? "ZZ",
      opts.device ?? "desktop",
      sorted.length,
      opts.provisional?.watchSeconds ?? w.watchSeconds,
      opts.provisional?.bufferSeconds ?? w.bufferSeconds,
      w.hasError,
      w.startupMs !== null && w.startupMs <= MAX_STARTUP_MS ? w.startupMs : null,
      w.state,
      opts.finalized ? new Date() : null,
    ],
  );
  const id = rows[0]!.id;
  await insertEvents(opts.streamId, opts.clientId, id, opts.base, opts.events);
  return id;
}

/** Inserts events (in the given order, seq growing) for an existing session. */
export async function insertEvents(streamId: string, clientId: string, sessionId: string, base: Date, events: FixtureEvent[]) {
  const ats = events.map((e) => base.getTime() + Math.round(e.t * 1000));
  await getPool().query(
    `INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
     SELECT $1, $2, $3, s, t::event_type, to_timestamp(a / 1000.0), a, 0, x
     FROM unnest($4::int[], $5::text[], $6::float8[], $7::jsonb[]) AS u(s, t, a, x)`,
    [
      streamId,
      clientId,
      sessionId,
      events.map(() => seqCounter++),
      events.map((e) => e.type),
      ats,
      events.map((e) => (e.extra ? JSON.stringify(e.extra) : null)),
    ],
  );
}

/** play at 0 s, heartbeats every 15 s up to `seconds`. */
export function playing(seconds: number, from = 0, startupMs?: number): FixtureEvent[] {
  const out: FixtureEvent[] = [{ type: "play", t: from, extra: startupMs === undefined ? undefined : { startupMs } }];
  for (let t = 15; t <= seconds; t += 15) out.push({ type: "heartbeat", t: from + t });
  return out;
}

export const minutesAgo = (m: number, from = Date.now()) => new Date(Math.floor((from - m * 60_000) / 60_000) * 60_000);
