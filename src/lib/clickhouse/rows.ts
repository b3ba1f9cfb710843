// One raw event as the ClickHouse table stores it (clickhouse/migrations/001_playback_events.sql),
// shared by ingestion and the backfill.
import { MAX_STARTUP_MS, startupMsOf, type EventType } from "~/contract";

export interface EventRow {
  streamId: string;
  clientId: string;
  sessionId: string;
  seq: number;
  type: EventType;
  /** Server event time, ms. */
  at: number;
  /** Client clock, ms. */
  ts: number;
  videoTime: number;
  extra: Record<string, unknown> | null;
}


/** One row of the ClickHouse table, as JSONEachRow. */
export function toClickHouseRow(r: EventRow, versionMs: number) {
  const startup = r.type === "play" ? startupMsOf(r.extra) : null;
  return {
    stream_id: r.streamId,
    client_id: r.clientId,
    seq: r.seq,
    session_id: r.sessionId,
    type: r.type,
    event_ms: Math.round(r.at),
    client_ts: Math.round(r.ts),
    video_time: r.videoTime,
    extra: r.extra ? JSON.stringify(r.extra) : "",
    startup_ms: startup !== null && startup <= MAX_STARTUP_MS ? startup : null,
    created_ms: versionMs,
    version_ms: versionMs,
  };
}
