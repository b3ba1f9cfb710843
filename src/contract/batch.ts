// The ingestion batch of docs/ingest-api.md: its shape as the tracker builds it and every limit
// ingestion enforces. Dependency-free (the tracker bundles it; its size is budgeted).
import type { EventType } from "./events";

/** 1 to 100 events a batch. */
export const MAX_EVENTS_PER_BATCH = 100;
/** The request body at most 64 KB. */
export const MAX_BATCH_BYTES = 64 * 1024;
/** An event's `extra` at most 2 KB of JSON. */
export const MAX_EXTRA_BYTES = 2 * 1024;
/** An event's `extra` nested at most 32 levels deep (objects and arrays; `extra` itself is level 1). */
export const MAX_EXTRA_DEPTH = 32;
/** PostgreSQL INTEGER's largest value. */
const MAX_INT4 = 2_147_483_647;
/** `seq` is stored as INTEGER. */
export const MAX_SEQ = MAX_INT4;
/** `extra.startupMs` is stored as INTEGER (viewer_sessions.startup_ms). */
export const MAX_STARTUP_MS = MAX_INT4;
/** streamId: 1 to 128 characters, no control characters. */
export const MAX_STREAM_ID_LENGTH = 128;
/** clientId: 8 to 64 characters of A-Z a-z 0-9 _ -. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The request's time budget: its body must have arrived within 10 s of reaching the door (else 408)… */
export const BODY_TIMEOUT_MS = 10_000;
/** …and every request is answered within 20 s of reaching the door (503 when the database has not answered by then). */
export const ANSWER_TIMEOUT_MS = 20_000;

export interface TrackedEvent {
  type: EventType;
  /** Client clock, ms since the epoch. */
  ts: number;
  /** Playhead in seconds, >= 0. */
  videoTime: number;
  /** Grows by one per event of this clientId; (clientId, seq) identifies an event. */
  seq: number;
  extra?: Record<string, unknown>;
}

export interface Batch {
  streamId: string;
  clientId: string;
  /** Client clock when the batch left, ms since the epoch. */
  sentAt: number;
  events: TrackedEvent[];
}
