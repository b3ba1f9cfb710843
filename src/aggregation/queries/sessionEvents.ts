// A session's raw events for splitting it (src/aggregation/finalize.ts splitSession), and moving
// runs of them to the new sessions. PostgreSQL: a SELECT and an UPDATE inside the split's
// transaction. ClickHouse: a SELECT … FINAL, and after PostgreSQL's COMMIT a re-insert of the
// moved events with the new session_id and a newer version (ReplacingMergeTree keeps the newest;
// queries read with FINAL), since ClickHouse cannot join the transaction.
import type pg from "pg";
import { chInt, chList, chRows, chString, chUuid, getClickHouse } from "~/lib/clickhouse/client";
import { eventStore, runQuery } from "~/lib/db/runQuery";
import type { EventType } from "~/contract";
import { sessionEventsClickHouse } from "./walkClickHouse";

export interface StoredEvent {
  /** PostgreSQL's row id; ClickHouse's events are keyed by (stream, client, seq). */
  id: number | string | null;
  seq: number;
  type: EventType;
  at: number;
  extra: unknown;
}

/** The session's events in walk order (time, then seq). */
export function sessionEvents(client: pg.ClientBase, sessionId: string): Promise<StoredEvent[]> {
  return runQuery<StoredEvent[]>({
    postgres: async () => {
      const { rows } = await client.query<{ id: number | string; seq: number; type: EventType; event_at: Date; extra: unknown }>(
        "SELECT id, seq, type, event_at, extra FROM playback_events WHERE session_id = $1 ORDER BY event_at, seq, id",
        [sessionId],
      );
      return rows.map((e) => ({ id: e.id, seq: e.seq, type: e.type, at: e.event_at.getTime(), extra: e.extra }));
    },
    clickhouse: async () => {
      const { rows } = await client.query<{ stream_id: string; client_id: string }>(
        "SELECT stream_id, client_id FROM viewer_sessions WHERE id = $1",
        [sessionId],
      );
      if (!rows[0]) return [];
      const ev = await sessionEventsClickHouse({ id: sessionId, streamId: rows[0].stream_id, clientId: rows[0].client_id });
      return ev.map((e) => ({ id: null, seq: e.seq, type: e.type as EventType, at: e.at, extra: e.extra }));
    },
  });
}

/**
 * Moves runs of the session's events to new sessions. Called twice by the split: inside its
 * transaction (PostgreSQL moves then) and after COMMIT (ClickHouse moves then), given the pool.
 */
export async function moveSessionEvents(
  client: pg.Pool | pg.ClientBase,
  fromSessionId: string,
  moves: { to: string; events: StoredEvent[] }[],
  phase: "in-transaction" | "after-commit",
): Promise<void> {
  if (moves.length === 0) return;
  const store = eventStore();
  if (store === "postgres" && phase === "in-transaction") {
    for (const m of moves) {
      await client.query("UPDATE playback_events SET session_id = $1 WHERE id = ANY($2::bigint[])", [m.to, m.events.map((e) => e.id)]);
    }
    return;
  }
  if (store !== "clickhouse" || phase !== "after-commit") return;
  const { rows } = await client.query<{ stream_id: string; client_id: string }>(
    "SELECT stream_id, client_id FROM viewer_sessions WHERE id = $1",
    [fromSessionId],
  );
  if (!rows[0]) return;
  await moveEventsClickHouse(rows[0].stream_id, rows[0].client_id, moves.map((m) => ({ to: m.to, seqs: m.events.map((e) => e.seq) })));
}

/**
 * ClickHouse: points a viewer's events (by seq) at other sessions, by re-inserting them with the
 * new session_id and a newer version (ReplacingMergeTree keeps the newest; queries read FINAL).
 */
export async function moveEventsClickHouse(streamId: string, clientId: string, moves: { to: string; seqs: number[] }[]): Promise<void> {
  const ch = getClickHouse();
  const now = Date.now();
  for (const m of moves) {
    if (!m.seqs.length) continue;
    await ch.command({
      query: `INSERT INTO playback_events
        SELECT stream_id, client_id, seq, ${chUuid(m.to)} AS session_id, type, event_ms, client_ts, video_time, extra, startup_ms,
               created_ms, toUInt64(${chInt(now)}) AS version_ms
        FROM playback_events FINAL
        WHERE stream_id = ${chString(streamId)} AND client_id = ${chString(clientId)} AND seq IN ${chList(m.seqs, chInt)}`,
      clickhouse_settings: { max_query_size: "67108864" },
    });
  }
}

/** For tests: the session each of a viewer's events belongs to now. */
export async function eventSessions(streamId: string, clientId: string): Promise<Map<number, string>> {
  const rows = await chRows<{ seq: string; session_id: string }>(
    getClickHouse(),
    `SELECT seq, toString(session_id) AS session_id FROM playback_events FINAL
     WHERE stream_id = ${chString(streamId)} AND client_id = ${chString(clientId)}`,
  );
  return new Map(rows.map((r) => [Number(r.seq), r.session_id]));
}
