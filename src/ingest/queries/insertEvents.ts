// Ingestion's raw-event queries, inside the group-commit transaction (src/ingest/writer.ts), in
// both stores side by side. The writer asks runQuery which one answers:
//   - which of a group's events are stored already (the contract's dedup key (client_id, seq));
//   - storing the new ones.
// PostgreSQL: both are statements the writer sends in its two round trips (storedEventsSql in the
// first, insertEventsSql with the keys table's ON CONFLICT DO NOTHING in the second). ClickHouse: under the
// same transaction's per-viewer advisory locks, one read of the keys that exist, then one bulk
// insert of the rest that resolves only once ClickHouse has written it (a synchronous HTTP insert),
// before PostgreSQL's COMMIT of the sessions.
import type pg from "pg";
import { eventKey } from "~/contract";
import { chInt, chList, chRows, chString, getClickHouse } from "~/lib/clickhouse/client";
import { toClickHouseRow, type EventRow } from "~/lib/clickhouse/rows";
import { sqlArray } from "~/lib/db/sqlArray";

export type { EventRow };
export { toClickHouseRow };

// ---------------------------------------------------------------- PostgreSQL

/** Round trip 1's statement: the candidates already stored (rows: client_id, seq), by the keys table. */
export function storedEventsSql(candidates: { clientId: string; seq: number }[]): string {
  return `SELECT e.client_id, e.seq
       FROM unnest(${sqlArray(candidates.map((c) => c.clientId), "text")}, ${sqlArray(candidates.map((c) => c.seq), "int4")}) AS u(client_id, seq)
       JOIN playback_event_keys e ON e.client_id = u.client_id AND e.seq = u.seq`;
}

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
 * The candidates stored already, as eventKey()s. A stored copy counts only if its session was
 * committed: a group whose ClickHouse insert succeeded and whose PostgreSQL COMMIT then failed
 * leaves events pointing at a session that never existed; the resend must store them again (the
 * newer version replaces the orphan).
 */
export async function storedEventsClickHouse(client: pg.ClientBase, candidates: { streamId: string; clientId: string; seq: number }[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const streams = [...new Set(candidates.map((r) => r.streamId))];
  const clients = [...new Set(candidates.map((r) => r.clientId))];
  // The stream and client lists narrow the read to the primary key's ranges.
  const existing = await chRows<{ client_id: string; seq: string; session_id: string }>(
    getClickHouse(),
    `SELECT client_id, seq, toString(argMax(session_id, version_ms)) AS session_id
     FROM playback_events
     WHERE stream_id IN ${chList(streams, chString)} AND client_id IN ${chList(clients, chString)}
       AND (client_id, seq) IN ${chList(candidates, (r) => `(${chString(r.clientId)}, ${chInt(r.seq)})`, "('', -1)")}
     GROUP BY client_id, seq`,
  );
  if (existing.length === 0) return new Set();
  const { rows: found } = await client.query<{ id: string }>("SELECT id::text FROM viewer_sessions WHERE id = ANY($1::uuid[])", [
    [...new Set(existing.map((e) => e.session_id))],
  ]);
  const committed = new Set(found.map((f) => f.id));
  return new Set(existing.filter((e) => committed.has(e.session_id)).map((e) => eventKey(e.client_id, Number(e.seq))));
}

/** Stores the rows (all new: the writer checked under its locks); resolves once written. */
export async function insertEventsClickHouse(rows: EventRow[]): Promise<Set<string>> {
  if (rows.length > 0) {
    const now = Date.now();
    await getClickHouse().insert({ table: "playback_events", values: rows.map((r) => toClickHouseRow(r, now)), format: "JSONEachRow" });
  }
  return new Set(rows.map((r) => eventKey(r.clientId, r.seq)));
}
