// Copies raw events from PostgreSQL's playback_events into ClickHouse (`npm run clickhouse:backfill`):
// keyset pages by id, each page one bulk insert, progress after each. Idempotent: rows keep their
// (stream, client, seq) key and get version 0, so a re-run (or a row ingestion already wrote to
// ClickHouse after the switch, with a newer version) collapses to one copy.
import type { ClickHouseClient } from "@clickhouse/client";
import type pg from "pg";
import { toClickHouseRow } from "./rows";
import type { EventType } from "~/contract";

export interface BackfillOptions {
  /** Rows per page (default 50,000). */
  batchSize?: number;
  /** Resume after this playback_events.id. */
  afterId?: number;
  /** Only these streams (tests, partial backfills). */
  streamIds?: string[] | null;
  progress?: (p: BackfillProgress) => void;
}

export interface BackfillProgress {
  copied: number;
  total: number;
  lastId: number;
  seconds: number;
  rowsPerSecond: number;
}

interface PgRow {
  id: number;
  stream_id: string;
  client_id: string;
  session_id: string | null;
  seq: number;
  type: EventType;
  event_ms: number;
  client_ts: number | string;
  video_time: number;
  extra: Record<string, unknown> | null;
  created_ms: number;
}

export async function backfillClickHouse(pool: pg.Pool, ch: ClickHouseClient, opts: BackfillOptions = {}): Promise<BackfillProgress> {
  const batchSize = opts.batchSize ?? 50_000;
  const scope = opts.streamIds ?? null;
  let lastId = opts.afterId ?? 0;
  const { rows: countRows } = await pool.query<{ n: number }>(
    "SELECT count(*)::bigint AS n FROM playback_events WHERE id > $1 AND ($2::text[] IS NULL OR stream_id = ANY($2::text[]))",
    [lastId, scope],
  );
  const total = Number(countRows[0]!.n);
  const started = performance.now();
  let copied = 0;
  const report = (): BackfillProgress => {
    const seconds = (performance.now() - started) / 1000;
    return { copied, total, lastId, seconds, rowsPerSecond: seconds > 0 ? copied / seconds : 0 };
  };
  for (;;) {
    const { rows } = await pool.query<PgRow>(
      `SELECT id, stream_id, client_id, session_id::text, seq, type::text AS type,
              (extract(epoch FROM event_at) * 1000)::bigint AS event_ms, client_ts, video_time, extra,
              (extract(epoch FROM created_at) * 1000)::bigint AS created_ms
       FROM playback_events
       WHERE id > $1 AND ($2::text[] IS NULL OR stream_id = ANY($2::text[]))
       ORDER BY id LIMIT $3`,
      [lastId, scope, batchSize],
    );
    if (rows.length === 0) break;
    const values = rows.map((r) => ({
      ...toClickHouseRow(
        {
          streamId: r.stream_id,
          clientId: r.client_id,
          // Events without a session (never the case for rows ingestion wrote) get the nil UUID.
          sessionId: r.session_id ?? "00000000-0000-0000-0000-000000000000",
          seq: r.seq,
          type: r.type,
          at: Number(r.event_ms),
          ts: Number(r.client_ts),
          videoTime: r.video_time,
          extra: r.extra,
        },
        0,
      ),
      created_ms: Number(r.created_ms),
    }));
    await ch.insert({ table: "playback_events", values, format: "JSONEachRow" });
    copied += rows.length;
    lastId = Number(rows[rows.length - 1]!.id);
    opts.progress?.(report());
    if (rows.length < batchSize) break;
  }
  return report();
}
