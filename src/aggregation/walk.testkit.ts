// Test fixtures for the aggregation tests: events and sessions written straight into the
// database the way ingestion leaves them (provisional figures, not finalized).
import { expect } from "vitest";
import { getPool } from "~/lib/db/pool";
import { MAX_STARTUP_MS, type DeviceClass, type EventType } from "~/contract";
import { walk, type WalkEvent } from "~/sessions/walk";
import type { WalkedSession } from "./walkSql";

export interface FixtureEvent {
  type: EventType;
  /** Seconds after the session's base time. */
  t: number;
  extra?: Record<string, unknown>;
}


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

const TYPES: EventType[] = ["play", "pause", "heartbeat", "heartbeat", "heartbeat", "ended", "error", "buffer_start", "buffer_end"];
const STARTUPS: unknown[] = [850, 1234.5, 0, -5, "900", null, 3e12, 42.5];

/**
 * A random session for the walk's property tests: 1 to 40 events of every type, gaps from 0 (equal
 * timestamps) to 70 s (over the 30 s cap) to the millisecond, some events out of order, odd
 * startupMs values. With `door`, only startupMs values the ingest door accepts (a number from 0 to
 * 2^31 − 1; the door refuses the whole batch otherwise), the others dropped; the same draws either way.
 */
export function randomSession(r: () => number, opts: { door?: boolean } = {}): FixtureEvent[] {
  const n = 1 + Math.floor(r() * 40);
  const events: FixtureEvent[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    // Gaps from 0 (equal timestamps) to 70 s (over the 30 s cap), to the millisecond.
    t += r() < 0.15 ? 0 : Math.round(r() * 70_000) / 1000;
    const type = TYPES[Math.floor(r() * TYPES.length)]!;
    let extra: Record<string, unknown> | undefined =
      type === "play" && r() < 0.7 ? { startupMs: STARTUPS[Math.floor(r() * STARTUPS.length)] } : type === "error" ? { code: "x" } : undefined;
    if (opts.door && extra && "startupMs" in extra) {
      const v = extra.startupMs;
      if (!(typeof v === "number" && v >= 0 && v <= MAX_STARTUP_MS)) extra = undefined;
    }
    // Some events arrive out of order: the walk must sort them by time, then seq.
    events.push({ type, t: r() < 0.1 ? Math.max(0, t - r() * 20) : t, extra });
  }
  return events;
}

/** A session walked in SQL or ClickHouse equals walk() over its events in walk order. */
export function expectWalkOf(got: WalkedSession, ordered: WalkEvent[]): void {
  const ref = walk(ordered);
  expect(got.watchSeconds).toBeCloseTo(ref.watchSeconds, 9);
  expect(got.bufferSeconds).toBeCloseTo(ref.bufferSeconds, 9);
  expect(got.hasError).toBe(ref.hasError);
  expect(got.startupMs).toBe(ref.startupMs !== null && ref.startupMs <= MAX_STARTUP_MS ? ref.startupMs : null);
  expect(got.lastState).toBe(ref.state);
  expect(got.eventCount).toBe(ordered.length);
  expect(got.firstAt.getTime()).toBe(ordered[0]!.at);
  expect(got.lastAt.getTime()).toBe(ordered[ordered.length - 1]!.at);
}
