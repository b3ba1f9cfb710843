// The live page: the streams live now with their current viewers (sessions with an event in the
// last 60 s, straight from viewer_sessions, which ingestion keeps up to date), plus the last hour
// of the per-minute concurrency the aggregation job wrote.
import type { ProviderKind } from "~/contract";
import { getPool } from "~/lib/db/pool";

/** A viewer counts as watching now when their session had an event within this window. */
const CURRENT_WINDOW_SECONDS = 60;

export interface LiveStream {
  id: string;
  title: string;
  organizer: { id: string; name: string };
  provider: ProviderKind | null;
  startedAt: Date | null;
  currentViewers: number;
  sessionsLastHour: number;
  peakConcurrent: number;
  lastHour: { t: Date; viewers: number }[];
}

export interface LiveNow {
  asOf: Date;
  windowSeconds: number;
  totalCurrentViewers: number;
  streams: LiveStream[];
}

/** The live streams (of one organizer, or all) and their viewers now. */
export async function liveStreams(filter: { organizerId?: string } = {}): Promise<LiveNow> {
  const pool = getPool();
  const { rows } = await pool.query<{
    id: string;
    title: string;
    organizer_id: string;
    organizer_name: string;
    provider: ProviderKind | null;
    started_at: Date | null;
    current_viewers: number;
    peak_concurrent: number | null;
    sessions_last_hour: number;
    as_of: Date;
  }>(
    `SELECT s.id, s.title, s.organizer_id, o.name AS organizer_name, p.provider, s.started_at,
            (SELECT count(*) FROM viewer_sessions v
              WHERE v.stream_id = s.id AND v.ended_at >= now() - make_interval(secs => $2))::int AS current_viewers,
            (SELECT count(*) FROM viewer_sessions v
              WHERE v.stream_id = s.id AND v.started_at >= now() - interval '1 hour')::int AS sessions_last_hour,
            st.peak_concurrent_viewers AS peak_concurrent,
            now() AS as_of
     FROM streams s
     JOIN organizers o ON o.id = s.organizer_id
     LEFT JOIN stream_providers p ON p.stream_id = s.id
     LEFT JOIN stream_stats st ON st.stream_id = s.id
     WHERE s.status = 'live' AND ($1::text IS NULL OR s.organizer_id = $1)
     ORDER BY current_viewers DESC, s.started_at DESC NULLS LAST, s.id`,
    [filter.organizerId ?? null, CURRENT_WINDOW_SECONDS],
  );
  const ids = rows.map((r) => r.id);
  const history = ids.length
    ? (
        await pool.query<{ stream_id: string; minute: Date; viewers: number }>(
          `SELECT stream_id, minute, viewers FROM stream_concurrency
           WHERE stream_id = ANY($1::text[]) AND minute >= now() - interval '60 minutes'
           ORDER BY stream_id, minute`,
          [ids],
        )
      ).rows
    : [];
  const byStream = new Map<string, { t: Date; viewers: number }[]>();
  for (const h of history) {
    const list = byStream.get(h.stream_id) ?? [];
    list.push({ t: h.minute, viewers: h.viewers });
    byStream.set(h.stream_id, list);
  }
  const asOf = rows[0]?.as_of ?? new Date();
  return {
    asOf,
    windowSeconds: CURRENT_WINDOW_SECONDS,
    totalCurrentViewers: rows.reduce((n, r) => n + r.current_viewers, 0),
    streams: rows.map((r) => ({
      id: r.id,
      title: r.title,
      organizer: { id: r.organizer_id, name: r.organizer_name },
      provider: r.provider,
      startedAt: r.started_at,
      currentViewers: r.current_viewers,
      sessionsLastHour: r.sessions_last_hour,
      peakConcurrent: r.peak_concurrent ?? 0,
      lastHour: byStream.get(r.id) ?? [],
    })),
  };
}
