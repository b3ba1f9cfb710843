// The per-session state walk of docs/metrics.md ("Per-session figures"). Pure: used by
// ingestion (provisional figures, batch by batch), by the aggregation job (final figures, from all
// of a session's events) and by the demo seed.
import { MAX_GAP_SECONDS, MAX_STARTUP_MS, SESSION_GAP_MS, startupMsOf, type EventType, type PlayerState } from "~/contract";

export interface WalkEvent {
  type: EventType;
  /** Event time in ms since the epoch (server-corrected). */
  at: number;
  extra?: unknown;
}

export interface WalkState {
  state: PlayerState;
  /** Time of the last event walked, ms; null before the first event. */
  lastAt: number | null;
  watchSeconds: number;
  bufferSeconds: number;
  hasError: boolean;
  /** extra.startupMs of the session's first `play`, when it has one. */
  startupMs: number | null;
  /** Whether a `play` was walked (the first one decides startupMs, even without a value). */
  sawPlay: boolean;
}

export const initialWalkState: WalkState = {
  state: "idle",
  lastAt: null,
  watchSeconds: 0,
  bufferSeconds: 0,
  hasError: false,
  startupMs: null,
  sawPlay: false,
};

function nextState(state: PlayerState, type: EventType): PlayerState {
  switch (type) {
    case "play":
      return "playing";
    case "buffer_start":
      return "buffering";
    case "buffer_end":
      return "playing";
    case "pause":
      return "paused";
    case "ended":
      return "idle";
    case "heartbeat":
      // A heartbeat is only sent while playing or buffering: from idle or paused, a `play` was lost.
      return state === "idle" || state === "paused" ? "playing" : state;
    case "error":
      return state;
  }
}

/** Continues the walk from `from` over `events` (sorted by time, then by seq). */
export function walk(events: readonly WalkEvent[], from: WalkState = initialWalkState): WalkState {
  const s: WalkState = { ...from };
  for (const e of events) {
    if (s.lastAt !== null) {
      const gap = Math.min(Math.max(0, e.at - s.lastAt) / 1000, MAX_GAP_SECONDS);
      if (s.state === "playing" || s.state === "buffering") s.watchSeconds += gap;
      if (s.state === "buffering") s.bufferSeconds += gap;
    }
    if (e.type === "error") s.hasError = true;
    if (e.type === "play" && !s.sawPlay) {
      s.sawPlay = true;
      s.startupMs = startupMsOf(e.extra);
    }
    s.state = nextState(s.state, e.type);
    s.lastAt = s.lastAt === null ? e.at : Math.max(s.lastAt, e.at);
  }
  return s;
}

/** Splits one viewer's events of one stream (sorted by time) into sessions by the 30-min rule. */
export function splitSessions<T extends { at: number }>(events: readonly T[]): T[][] {
  const sessions: T[][] = [];
  let current: T[] = [];
  let last: number | null = null;
  for (const e of events) {
    if (last !== null && e.at - last >= SESSION_GAP_MS) {
      sessions.push(current);
      current = [];
    }
    current.push(e);
    last = e.at;
  }
  if (current.length) sessions.push(current);
  return sessions;
}

/** A session's stored figures: the walk over all its events (sorted by time, then seq; at least one). */
export interface SessionFigures {
  startedAt: number;
  endedAt: number;
  eventCount: number;
  watchSeconds: number;
  bufferSeconds: number;
  hasError: boolean;
  /** The first play's startupMs, when within the contract's bounds. */
  startupMs: number | null;
  lastState: PlayerState;
  sawPlay: boolean;
}

export function sessionFigures(events: readonly WalkEvent[]): SessionFigures {
  const w = walk(events);
  return {
    startedAt: events[0]!.at,
    endedAt: events[events.length - 1]!.at,
    eventCount: events.length,
    watchSeconds: w.watchSeconds,
    bufferSeconds: w.bufferSeconds,
    hasError: w.hasError,
    startupMs: w.startupMs !== null && w.startupMs <= MAX_STARTUP_MS ? w.startupMs : null,
    lastState: w.state,
    sawPlay: w.sawPlay,
  };
}
