// The benchmarks' data: a big live event generated inside PostgreSQL (INSERT … SELECT
// generate_series, hashed pseudo-random values, so every run makes the same data), shared by
// bench:aggregate and bench:scale. Dataset "now" is 5 minutes ago: bench:aggregate adds the last 5
// minutes to time an incremental run. generateBenchData leaves sessions with rough figures and
// needs_rewalk = true (as rows written by anything but ingestion: finalizing walks them all);
// settleBenchSessions then leaves them as ingestion does (exact walks, a few flagged).
import { parseArgs, type ParseArgsConfig } from "node:util";
import type pg from "pg";
import { chunk, forEachParallel } from "~/aggregation/parallel";
import { SET_WALKED_FIGURES, WALK_SQL } from "~/aggregation/walkSql";
import { createMonthPartition, monthStart } from "~/partitions/partitions";

export interface BenchSizes {
  streams: number;
  sessions: number;
  /** Events per session: eventsMin + (0 … eventsSpread − 1). */
  eventsMin: number;
  eventsSpread: number;
  /** Every liveEvery-th stream is live now. */
  liveEvery: number;
}

/**
 * The generated benchmarks' command line: `--scale S`, `--keep`, `--help` (prints `usage`), and
 * a benchmark's own string options (`extra`, name → default), returned as given.
 */
export function parseBenchArgs(
  defaultScale: string,
  usage: string[],
  extra: Record<string, string> = {},
): { scale: number; keep: boolean; extra: Record<string, string> } {
  const options: NonNullable<ParseArgsConfig["options"]> = {
    scale: { type: "string", default: defaultScale },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  };
  for (const [name, value] of Object.entries(extra)) options[name] = { type: "string", default: value };
  let args: Record<string, string | boolean | undefined>;
  try {
    args = parseArgs({ options }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    console.error((err as Error).message);
    for (const line of usage) console.error(line);
    process.exit(2);
  }
  if (args.help) {
    for (const line of usage) console.log(line);
    process.exit(0);
  }
  const scale = Number(args.scale);
  if (!Number.isFinite(scale) || scale <= 0) {
    console.error(`--scale must be a positive number, got ${String(args.scale)}`);
    process.exit(2);
  }
  return { scale, keep: args.keep === true, extra: Object.fromEntries(Object.keys(extra).map((k) => [k, String(args[k])])) };
}

/** Sizes at scale 1: 1,000 streams, 200,000 sessions, ~20 million events over 30 days. */
export function benchSizes(scale: number): BenchSizes {
  return {
    streams: Math.max(10, Math.round(1000 * scale)),
    sessions: Math.max(100, Math.round(200_000 * scale)),
    eventsMin: 20,
    eventsSpread: 161,
    liveEvery: 50, // 2% of streams are live now
  };
}

/** Organizer, streams, sessions and their events, with playback_events' secondary indexes dropped
 * (call indexBenchEvents afterwards: building them once is far faster than row by row). */
export async function generateBenchData(pool: pg.Pool, sizes: BenchSizes): Promise<void> {
  const { streams: STREAMS, sessions: SESSIONS, eventsMin: EVENTS_MIN, eventsSpread: EVENTS_SPREAD, liveEvery: LIVE_EVERY } = sizes;
  await pool.query(`INSERT INTO organizers (id, name, slug, updated_at) VALUES ('bench_org', 'Bench', 'bench', now())`);
  await pool.query(
    `INSERT INTO streams (id, organizer_id, title, status, started_at, ended_at, updated_at)
     SELECT 'bench_' || s, 'bench_org', 'Bench stream ' || s,
            (CASE WHEN s % $2 = 0 THEN 'live' ELSE 'ended' END)::stream_status, w.a, CASE WHEN s % $2 = 0 THEN NULL ELSE w.b END, now()
     FROM generate_series(0, $1 - 1) s,
          LATERAL (SELECT CASE WHEN s % $2 = 0 THEN now() - interval '5 minutes' - interval '4 hours'
                               ELSE now() - interval '30 days' + (abs(hashint8(s)) % 29) * interval '1 day' + (abs(hashint8(s + 7)) % 14) * interval '1 hour' END AS a) a0,
          LATERAL (SELECT a0.a AS a, CASE WHEN s % $2 = 0 THEN now() - interval '5 minutes'
                                           ELSE a0.a + (2 + abs(hashint8(s + 3)) % 5) * interval '1 hour' END AS b) w`,
    [STREAMS, LIVE_EVERY],
  );
  // Sessions as ingestion leaves them. Live streams' sessions end up to "now" (some still going).
  await pool.query(
    `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
       event_count, watch_seconds, last_state, updated_at)
     SELECT st.id, 'client_' || (i % ($1 * 4 / 5)), x.start, x.start + (x.k - 1) * interval '15 seconds',
            (ARRAY['DE','FR','IT','CH','AT','US','GB','ES','NL','ZZ'])[1 + abs(hashint8(i + 11)) % 10],
            (ARRAY['desktop','desktop','mobile','mobile','mobile','tablet','tv','other'])[1 + abs(hashint8(i + 13)) % 8]::device_class,
            'Chrome', 'Windows', x.k, (x.k - 1) * 15, 'playing', now()
     FROM generate_series(0, $1 - 1) i
     JOIN LATERAL (SELECT 'bench_' || (i % $2) AS id) sid ON true
     JOIN streams st ON st.id = sid.id,
     LATERAL (SELECT $3 + abs(hashint8(i)) % $4 AS k) kk,
     LATERAL (SELECT kk.k,
                     greatest(st.started_at, least(
                       st.started_at + ((abs(hashint8(i + 5)) % 1000) / 1000.0)::float8 * (coalesce(st.ended_at, now() - interval '5 minutes') - st.started_at),
                       coalesce(st.ended_at, now() - interval '5 minutes') - (kk.k - 1) * interval '15 seconds')) AS start) x`,
    [SESSIONS, STREAMS, EVENTS_MIN, EVENTS_SPREAD],
  );
  // Events without their secondary indexes (built afterwards, much faster than row by row).
  // Monthly partitions for the 30 days, as the partitions job would have made them month by month.
  for (const add of [-2, -1, 0]) await createMonthPartition(pool, monthStart(new Date(), add));
  // Dedup keys live 48 h in playback_event_keys (pruned by the partitions job); of 30 days of
  // events next to none would be there, so the generator leaves that table empty.
  await pool.query(`DROP INDEX playback_events_stream_id_event_at_idx, playback_events_session_id_event_at_idx,
                    playback_events_created_at_idx`);
  await pool.query(
    `INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
     SELECT v.stream_id, v.client_id, v.id, j + 200 * v.sn, e.type::event_type,
            e.at, (extract(epoch FROM e.at) * 1000)::bigint, j * 15,
            CASE WHEN e.type = 'play' THEN jsonb_build_object('startupMs', 250 + abs(hashint8(v.sn * 7)) % 3000)
                 WHEN e.type = 'error' THEN '{"code":"fragLoadError"}'::jsonb END
     FROM (SELECT *, (row_number() OVER (ORDER BY started_at, id) - 1)::int AS sn FROM viewer_sessions) v,
          generate_series(0, v.event_count - 1) j,
          LATERAL (SELECT abs(hashint8(v.sn * 1000 + j)) % 1000 AS r) h,
          LATERAL (SELECT CASE WHEN j = 0 THEN 'play'
                               WHEN j = v.event_count - 1 AND h.r < 300 THEN 'ended'
                               WHEN j = v.event_count - 1 THEN 'heartbeat'
                               WHEN h.r < 8 THEN 'buffer_start' WHEN h.r < 16 THEN 'buffer_end'
                               WHEN h.r < 19 THEN 'error' WHEN h.r < 25 THEN 'pause' WHEN h.r < 31 THEN 'play'
                               ELSE 'heartbeat' END AS type,
                          v.started_at + j * interval '15 seconds'
                            + CASE WHEN j > 0 AND j < v.event_count - 1 THEN (h.r % 997) * interval '1 millisecond' ELSE interval '0' END AS at) e`,
  );
}

export async function indexBenchEvents(pool: pg.Pool): Promise<void> {
  await pool.query("CREATE INDEX playback_events_stream_id_event_at_idx ON playback_events (stream_id, event_at)");
  await pool.query("CREATE INDEX playback_events_session_id_event_at_idx ON playback_events (session_id, event_at)");
  await pool.query("CREATE INDEX playback_events_created_at_idx ON playback_events (created_at)");
  await pool.query("VACUUM ANALYZE playback_events");
  await pool.query("VACUUM ANALYZE viewer_sessions");
}

/**
 * Share of sessions ingestion leaves flagged (needs_rewalk) in the benchmark: a batch that arrives
 * after a later one of the same viewer (a beacon retried from the page's unload, a flaky mobile
 * connection) or at the very millisecond of the session's last event. 2% is a generous guess for
 * sendBeacon traffic with retries; bench:aggregate's `--flagged` changes it.
 */
export const FLAGGED_SHARE = 0.02;

/**
 * Leaves the generated sessions as ingestion does (untimed; call after indexBenchEvents): every
 * session's figures from the same walk the job runs (WALK_SQL over its events, in batches on two
 * connections), with saw_play and needs_rewalk = false — a walk continued in order batch by batch
 * is that walk. Then `flaggedShare` of them (hashed, the same sessions every run) become what a
 * late retry leaves: needs_rewalk = true and provisional figures that are off (the retried
 * minute's gaps counted as zero, so 60 s of watch time short). Returns the number flagged.
 */
export async function settleBenchSessions(pool: pg.Pool, flaggedShare: number, batchSize = 25_000): Promise<number> {
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM viewer_sessions ORDER BY id");
  await forEachParallel(chunk(rows.map((r) => r.id), batchSize, 2), 2, async (ids) => {
    await pool.query(
      `WITH ${WALK_SQL}
       UPDATE viewer_sessions v
       SET ${SET_WALKED_FIGURES}
       FROM walked w WHERE v.id = w.session_id`,
      [ids],
    );
  });
  const flagged = await pool.query(
    `UPDATE viewer_sessions v SET needs_rewalk = true, watch_seconds = greatest(0, v.watch_seconds - 60)
     FROM (SELECT id, (row_number() OVER (ORDER BY started_at, id) - 1)::int AS sn FROM viewer_sessions) s
     WHERE v.id = s.id AND abs(hashint8(s.sn * 31 + 17)) % 1000000 < $1`,
    [Math.round(flaggedShare * 1_000_000)],
  );
  await pool.query("VACUUM ANALYZE viewer_sessions");
  return flagged.rowCount ?? 0;
}

/**
 * Leaves `lateShare` of the viewers (hashed on client_id, the same every run) as the door leaves a
 * viewer whose batches came out of order: each of its chosen sessions (`where`, SQL over v) cut in
 * two provisional sessions at its middle instant, the later half re-pointed to a new row, both
 * flagged needs_rewalk, and the viewer flagged in viewer_session_flags over the earlier half, so
 * the job must re-sessionize it (merge the two halves, walk them again). Returns sessions cut.
 */
export async function makeLateViewers(pool: pg.Pool, lateShare: number, where = "true"): Promise<number> {
  if (lateShare <= 0) return 0;
  await pool.query("DROP TABLE IF EXISTS bench_late");
  const { rowCount } = await pool.query(
    `CREATE TEMP TABLE bench_late AS
     SELECT v.id AS old_id, gen_random_uuid() AS new_id, v.stream_id, v.client_id, v.started_at,
            v.started_at + (v.ended_at - v.started_at) / 2 AS mid
     FROM viewer_sessions v
     WHERE v.event_count >= 2 AND v.ended_at > v.started_at AND abs(hashtext(v.client_id)) % 1000000 < $1 AND (${where})`,
    [Math.round(lateShare * 1_000_000)],
  );
  await pool.query(
    `INSERT INTO viewer_sessions (id, stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
       event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, saw_play, needs_rewalk, updated_at)
     SELECT l.new_id, v.stream_id, v.client_id, l.mid, v.ended_at, v.country, v.device_class, v.browser, v.os,
            0, 0, 0, false, NULL, v.last_state, false, true, clock_timestamp()
     FROM bench_late l JOIN viewer_sessions v ON v.id = l.old_id`,
  );
  await pool.query(
    `UPDATE playback_events e SET session_id = l.new_id FROM bench_late l WHERE e.session_id = l.old_id AND e.event_at > l.mid`,
  );
  // Each half's span and count from its events (what the door's rows hold), figures left provisional.
  await pool.query(
    `UPDATE viewer_sessions v SET started_at = x.a, ended_at = x.b, event_count = x.n, needs_rewalk = true, updated_at = clock_timestamp()
     FROM (SELECT e.session_id, min(e.event_at) AS a, max(e.event_at) AS b, count(*)::int AS n
           FROM playback_events e
           WHERE e.session_id IN (SELECT old_id FROM bench_late UNION ALL SELECT new_id FROM bench_late)
           GROUP BY e.session_id) x
     WHERE v.id = x.session_id`,
  );
  await pool.query(
    `INSERT INTO viewer_session_flags (stream_id, client_id, from_at, to_at)
     SELECT stream_id, client_id, min(started_at), max(mid) FROM bench_late GROUP BY stream_id, client_id
     ON CONFLICT (stream_id, client_id) DO UPDATE SET from_at = least(viewer_session_flags.from_at, EXCLUDED.from_at),
       to_at = greatest(viewer_session_flags.to_at, EXCLUDED.to_at)`,
  );
  await pool.query("DROP TABLE bench_late");
  return rowCount ?? 0;
}
