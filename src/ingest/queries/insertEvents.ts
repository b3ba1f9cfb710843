// Ingestion's raw-event queries, inside the group-commit transaction (src/ingest/writer.ts), in
// both stores side by side. The dedup authority is PostgreSQL's playback_event_keys whichever store
// holds the events, so a key is claimed in the same transaction as the session change it counts in:
//   - which of a group's events are stored already (the contract's dedup key (client_id, seq)):
//     storedEventsSql, in the writer's first round trip, for either store;
//   - storing the new ones. PostgreSQL: insertEventsSql, the keys table's ON CONFLICT DO NOTHING and
//     the events whose keys were new in one statement (second round trip). ClickHouse: the keys
//     claimed by claimEventKeysSql (second round trip), then the claimed events in one bulk insert
//     that resolves once ClickHouse has written them (a synchronous HTTP insert), then COMMIT. A
//     COMMIT that fails after that insert rolls the keys back: the resend claims them again and
//     writes a newer copy, which ReplacingMergeTree keeps in place of the first (read with FINAL).
import { getClickHouse } from "~/lib/clickhouse/client";
import { toClickHouseRow, type EventRow } from "~/lib/clickhouse/rows";
import { sqlArray } from "~/lib/db/sqlArray";

export type { EventRow };
export { toClickHouseRow };

// ---------------------------------------------------------------- either store

/** Round trip 1's statement: the candidates already stored (rows: client_id, seq), by the keys table. */
export function storedEventsSql(candidates: { clientId: string; seq: number }[]): string {
  return `SELECT e.client_id, e.seq
       FROM unnest(${sqlArray(candidates.map((c) => c.clientId), "text")}, ${sqlArray(candidates.map((c) => c.seq), "int4")}) AS u(client_id, seq)
       JOIN playback_event_keys e ON e.client_id = u.client_id AND e.seq = u.seq`;
}

// ---------------------------------------------------------------- PostgreSQL

/**
 * Round trip 2's statement: the events whose keys are new in playback_event_keys (ON CONFLICT still
 * guards against a concurrent writer), RETURNING the keys stored.
 */
export function insertEventsSql(rows: EventRow[]): string {
  return `WITH u AS (
          SELECT * FROM unnest(${sqlArray(rows.map((r) => r.streamId), "text")}, ${sqlArray(rows.map((r) => r.clientId), "text")},
                      ${sqlArray(rows.map((r) => r.sessionId), "uuid")}, ${sqlArray(rows.map((r) => r.seq), "int4")},
                      ${sqlArray(rows.map((r) => r.type), "text")}, ${sqlArray(rows.map((r) => r.at / 1000), "float8")},
                      ${sqlArray(rows.map((r) => r.ts), "int8")}, ${sqlArray(rows.map((r) => r.videoTime), "float8")},
                      ${sqlArray(rows.map((r) => (r.extra ? JSON.stringify(r.extra) : null)), "text")})
               AS u(s, c, sid, q, t, a, ts, vt, x)
        ), k AS (
          INSERT INTO playback_event_keys (client_id, seq)
          SELECT c, q FROM u
          ON CONFLICT (client_id, seq) DO NOTHING
          RETURNING client_id, seq
        )
        INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
        SELECT s, c, sid, q, t::event_type, to_timestamp(a), ts, vt, x::jsonb
          FROM u JOIN k ON k.client_id = u.c AND k.seq = u.q
        RETURNING client_id, seq`;
}

// ---------------------------------------------------------------- ClickHouse

/**
 * ClickHouse's round trip 2 statement: the keys of the events to store claimed in
 * playback_event_keys (ON CONFLICT: a concurrent writer's claim stands), RETURNING the keys claimed.
 */
export function claimEventKeysSql(rows: { clientId: string; seq: number }[]): string {
  return `INSERT INTO playback_event_keys (client_id, seq)
        SELECT * FROM unnest(${sqlArray(rows.map((r) => r.clientId), "text")}, ${sqlArray(rows.map((r) => r.seq), "int4")})
        ON CONFLICT (client_id, seq) DO NOTHING
        RETURNING client_id, seq`;
}

/** Stores the rows (their keys claimed in this transaction); resolves once ClickHouse has written them. */
export async function insertEventsClickHouse(rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const now = Date.now();
  await getClickHouse().insert({ table: "playback_events", values: rows.map((r) => toClickHouseRow(r, now)), format: "JSONEachRow" });
}
