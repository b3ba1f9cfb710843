// Ingestion's event write, inside the group-commit transaction (src/ingest/writer.ts): stores the
// events that are new by the contract's dedup key (client_id, seq) and returns the keys it stored.
// PostgreSQL: one INSERT … ON CONFLICT DO NOTHING RETURNING. ClickHouse: under the same
// transaction's per-viewer advisory locks, read which keys exist, then one bulk insert of the rest,
// which resolves only once ClickHouse has written it (a synchronous HTTP insert).
import type pg from "pg";
import { chInt, chList, chRows, chString, getClickHouse } from "~/lib/clickhouse/client";
import { runQuery } from "~/lib/db/runQuery";
import { startupMsOf, type EventType } from "~/sessions/walk";

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

export const eventKey = (clientId: string, seq: number) => `${clientId}\u0000${seq}`;

/** Largest startup_ms kept (PostgreSQL's int4 column); matches src/aggregation/walkSql.ts. */
const MAX_STARTUP_MS = 2_147_483_647;

/** Inserts the rows that are not stored yet; returns their keys (eventKey). */
export function insertEvents(client: pg.PoolClient, rows: EventRow[]): Promise<Set<string>> {
  if (rows.length === 0) return Promise.resolve(new Set());
  return runQuery({
    postgres: () => insertEventsPostgres(client, rows),
    clickhouse: () => insertEventsClickHouse(client, rows),
  });
}

async function insertEventsPostgres(client: pg.PoolClient, rows: EventRow[]): Promise<Set<string>> {
  const res = await client.query<{ client_id: string; seq: number }>({
    name: "ingest_events",
    text: `INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
           SELECT s, c, sid, q, t::event_type, to_timestamp(a), ts, vt, x::jsonb
             FROM unnest($1::text[], $2::text[], $3::uuid[], $4::int4[], $5::text[], $6::float8[], $7::int8[], $8::float8[], $9::text[])
                  AS u(s, c, sid, q, t, a, ts, vt, x)
           ON CONFLICT (client_id, seq) DO NOTHING
           RETURNING client_id, seq`,
    values: [
      rows.map((r) => r.streamId),
      rows.map((r) => r.clientId),
      rows.map((r) => r.sessionId),
      rows.map((r) => r.seq),
      rows.map((r) => r.type),
      rows.map((r) => r.at / 1000),
      rows.map((r) => String(r.ts)),
      rows.map((r) => r.videoTime),
      rows.map((r) => (r.extra ? JSON.stringify(r.extra) : null)),
    ],
  });
  return new Set(res.rows.map((r) => eventKey(r.client_id, r.seq)));
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

async function insertEventsClickHouse(client: pg.PoolClient, rows: EventRow[]): Promise<Set<string>> {
  const ch = getClickHouse();
  const streams = [...new Set(rows.map((r) => r.streamId))];
  const clients = [...new Set(rows.map((r) => r.clientId))];
  // The stream and client lists narrow the read to the primary key's ranges.
  const existing = await chRows<{ client_id: string; seq: string; session_id: string }>(
    ch,
    `SELECT client_id, seq, toString(argMax(session_id, version_ms)) AS session_id
     FROM playback_events
     WHERE stream_id IN ${chList(streams, chString)} AND client_id IN ${chList(clients, chString)}
       AND (client_id, seq) IN ${chList(rows, (r) => `(${chString(r.clientId)}, ${chInt(r.seq)})`, "('', -1)")}
     GROUP BY client_id, seq`,
  );
  // A stored copy counts only if its session was committed: an insert whose PostgreSQL
  // transaction then failed leaves events pointing at a session that never existed; the resend
  // must store them again (the newer version replaces the orphan).
  let committed = new Set<string>();
  if (existing.length > 0) {
    const { rows: found } = await client.query<{ id: string }>("SELECT id::text FROM viewer_sessions WHERE id = ANY($1::uuid[])", [
      [...new Set(existing.map((e) => e.session_id))],
    ]);
    committed = new Set(found.map((f) => f.id));
  }
  const stored = new Set(existing.filter((e) => committed.has(e.session_id)).map((e) => eventKey(e.client_id, Number(e.seq))));
  const fresh = rows.filter((r) => !stored.has(eventKey(r.clientId, r.seq)));
  if (fresh.length > 0) {
    const now = Date.now();
    await ch.insert({ table: "playback_events", values: fresh.map((r) => toClickHouseRow(r, now)), format: "JSONEachRow" });
  }
  return new Set(fresh.map((r) => eventKey(r.clientId, r.seq)));
}

/**
 * Of these sessions, the ones that have a `play` event stored (the walk's "first play decides
 * startupMs" rule across batches). PostgreSQL answers this inside the writer's session read, so
 * only ClickHouse needs the extra query.
 */
export function sessionsWithPlay(sessions: { id: string; streamId: string; clientId: string }[]): Promise<Set<string>> {
  if (sessions.length === 0) return Promise.resolve(new Set());
  return runQuery({
    postgres: async () => new Set<string>(),
    clickhouse: async () => {
      const rows = await chRows<{ session_id: string }>(
        getClickHouse(),
        `SELECT DISTINCT toString(session_id) AS session_id FROM playback_events FINAL
         WHERE stream_id IN ${chList([...new Set(sessions.map((s) => s.streamId))], chString)}
           AND client_id IN ${chList([...new Set(sessions.map((s) => s.clientId))], chString)}
           AND toString(session_id) IN ${chList(sessions.map((s) => s.id), chString)}
           AND type = 'play'`,
      );
      return new Set(rows.map((r) => r.session_id));
    },
  });
}
