// The wire format of ../shared/spec/ingest-api.md, as the tracker builds it.
export type EventType = "play" | "pause" | "heartbeat" | "ended" | "error" | "buffer_start" | "buffer_end";

export interface TrackedEvent {
  type: EventType;
  /** Client clock, ms since the epoch. */
  ts: number;
  /** Playhead in seconds, >= 0. */
  videoTime: number;
  seq: number;
  extra?: Record<string, unknown>;
}

export interface Batch {
  streamId: string;
  clientId: string;
  sentAt: number;
  events: TrackedEvent[];
}

/** The contract's limits: 1 to 100 events a batch, a body of at most 64 KB. */
export const MAX_EVENTS_PER_BATCH = 100;
export const MAX_BATCH_BYTES = 64 * 1024;
