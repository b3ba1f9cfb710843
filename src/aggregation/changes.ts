// Incremental selection: which streams a run must recompute, and over which stretch of time.
// Ingestion sets viewer_sessions.updated_at on every batch (and finalization on every session it
// closes), so the streams to redo are those with a session updated after the previous successful
// run's watermark; the stretch is the span of those sessions. Streams with sessions but no
// stream_stats row are redone whole.
//
// The watermark is not simply "now": a row written by a transaction that started earlier but
// commits after we look carries an updated_at (its now()) older than our look. So the watermark
// is the start of the oldest transaction still open on this database, when that is earlier.
import type pg from "pg";
import type { StreamWindow } from "./concurrency";

type Query = Pick<pg.Pool, "query">;

/** The scope key stored with a run: null for the whole database, else the sorted stream ids. */
export function scopeKey(streamIds: string[] | null | undefined): string | null {
  return streamIds ? [...streamIds].sort().join(",") : null;
}

/** The watermark of the last successful run with this scope, or null (never ran: do everything). */
export async function previousWatermark(db: Query, scope: string | null): Promise<Date | null> {
  const { rows } = await db.query<{ watermark: string | null }>(
    `SELECT figures->>'watermark' AS watermark FROM job_runs
     WHERE name = 'aggregate' AND status = 'succeeded' AND figures ? 'watermark'
       AND (figures->>'scope') IS NOT DISTINCT FROM $1
     ORDER BY started_at DESC LIMIT 1`,
    [scope],
  );
  const w = rows[0]?.watermark;
  return w ? new Date(w) : null;
}

/** now(), or the start of the oldest other transaction still open on this database if earlier. */
export async function takeWatermark(db: Query): Promise<Date> {
  try {
    const { rows } = await db.query<{ wm: Date }>(
      `SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity
                            WHERE datname = current_database() AND pid <> pg_backend_pid()
                              AND backend_type = 'client backend' AND xact_start IS NOT NULL)) AS wm`,
    );
    return rows[0]!.wm;
  } catch {
    // The embedded database (PGlite) has no pg_stat_activity to speak of: one process writes.
    const { rows } = await db.query<{ wm: Date }>("SELECT now() AS wm");
    return rows[0]!.wm;
  }
}

interface WindowRow {
  stream_id: string;
  from: Date;
  to: Date;
}

/**
 * The streams to recompute. `since` null: every stream with sessions, whole. Otherwise streams
 * with sessions updated after `since` (their changed span) plus streams lacking stats (whole).
 */
export async function changedStreams(db: Query, since: Date | null, streamIds: string[] | null): Promise<StreamWindow[]> {
  if (!since) {
    const { rows } = await db.query<WindowRow>(
      `SELECT stream_id, min(started_at) AS "from", max(ended_at) AS "to" FROM viewer_sessions
       WHERE ($1::text[] IS NULL OR stream_id = ANY($1::text[]))
       GROUP BY stream_id ORDER BY stream_id`,
      [streamIds],
    );
    return rows.map((r) => ({ streamId: r.stream_id, from: r.from, to: r.to, full: true }));
  }
  const changed = await db.query<WindowRow>(
    `SELECT stream_id, min(started_at) AS "from", max(ended_at) AS "to" FROM viewer_sessions
     WHERE updated_at > $1 AND ($2::text[] IS NULL OR stream_id = ANY($2::text[]))
     GROUP BY stream_id`,
    [since, streamIds],
  );
  const missing = await db.query<WindowRow>(
    `SELECT s.id AS stream_id, x."from", x."to"
     FROM streams s
     CROSS JOIN LATERAL (SELECT min(started_at) AS "from", max(ended_at) AS "to" FROM viewer_sessions v WHERE v.stream_id = s.id) x
     WHERE ($1::text[] IS NULL OR s.id = ANY($1::text[]))
       AND NOT EXISTS (SELECT 1 FROM stream_stats t WHERE t.stream_id = s.id)
       AND EXISTS (SELECT 1 FROM viewer_sessions v WHERE v.stream_id = s.id)`,
    [streamIds],
  );
  const byStream = new Map<string, StreamWindow>();
  for (const r of changed.rows) byStream.set(r.stream_id, { streamId: r.stream_id, from: r.from, to: r.to, full: false });
  for (const r of missing.rows) byStream.set(r.stream_id, { streamId: r.stream_id, from: r.from, to: r.to, full: true });
  return [...byStream.values()].sort((a, b) => a.streamId.localeCompare(b.streamId));
}
