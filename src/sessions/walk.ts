// The per-session state walk of ../shared/spec/metrics.md ("Per-session figures"). Pure: used by
// ingestion (provisional figures, batch by batch), by the aggregation job (final figures, from all
// of a session's events) and by the demo seed.

export const HEARTBEAT_SECONDS = 15;
/** Each gap between consecutive events counts at most 2·H: a longer silence means the viewer left. */
export const MAX_GAP_SECONDS = 2 * HEARTBEAT_SECONDS;
/** A gap of this much or more between a viewer's events starts a new session. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

export type EventType = "play" | "pause" | "heartbeat" | "ended" | "error" | "buffer_start" | "buffer_end";
export type PlayerState = "idle" | "playing" | "buffering" | "paused";

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

export function startupMsOf(extra: unknown): number | null {
  if (extra && typeof extra === "object" && "startupMs" in extra) {
    const v = (extra as { startupMs: unknown }).startupMs;
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return Math.round(v);
  }
  return null;
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
