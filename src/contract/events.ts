// The events a player sends and the time rules of docs/metrics.md ("Events and time", "Sessions").
// Dependency-free: the browser tracker, ingestion, the session walk and the UI all import it.

/** Event types of docs/ingest-api.md; the order is the database enum's (prisma `EventType`). */
export const EVENT_TYPES = ["play", "pause", "heartbeat", "ended", "error", "buffer_start", "buffer_end"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A player's state in the session walk (prisma `PlayerState`). */
export const PLAYER_STATES = ["idle", "playing", "buffering", "paused"] as const;
export type PlayerState = (typeof PLAYER_STATES)[number];

/** H: a heartbeat every 15 s while the video plays or buffers. */
export const HEARTBEAT_SECONDS = 15;
/** Each gap between consecutive events counts at most 2·H: a longer silence means the viewer left. */
export const MAX_GAP_SECONDS = 2 * HEARTBEAT_SECONDS;
/** A gap of this much or more between a viewer's events starts a new session. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/** Oldest event accepted, after time correction. */
export const MAX_EVENT_AGE_MS = 24 * 60 * 60 * 1000;
/** An event may lie this far after sentAt (the client clock stepping between the two readings). */
export const FUTURE_TOLERANCE_MS = 10_000;
