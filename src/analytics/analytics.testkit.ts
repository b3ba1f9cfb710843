// Test support for the read model: known rows in the tables the aggregation job writes, with
// figures computed by hand in src/server/api/routers/analytics/analytics.test.ts and csvExport.test.ts.
// Every id is unique, so the fixture can share the test database.
import { getPool } from "~/lib/db/pool";
import { db } from "~/lib/db/prisma";
import { uid } from "~/test/factories";

export const D1 = "2025-03-01";
export const D2 = "2025-03-02";
export const D3 = "2025-03-03";

const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00Z`);

export async function createAnalyticsFixture() {
  const token = uid("fx");
  const orgA = await db.organizer.create({ data: { id: uid("orgA"), name: `Org A ${token}`, slug: uid("org-a") } });
  const orgB = await db.organizer.create({ data: { id: uid("orgB"), name: `Org B ${token}`, slug: uid("org-b") } });
  const mk = (id: string, organizerId: string, title: string, status: "live" | "ended" | "scheduled", provider: "bunny_stream" | "youtube", dates: { startedAt?: Date; scheduledStartAt?: Date } = {}) =>
    db.stream.create({
      data: {
        id,
        organizerId,
        title: `${title} ${token}`,
        status,
        ...dates,
        provider: {
          create: provider === "youtube" ? { provider, youtubeVideoId: "M7lc1UVf-VE" } : { provider, bunnyLibraryId: "1", bunnyVideoGuid: uid("g"), bunnyPlaybackHost: "vz.b-cdn.net" },
        },
      },
    });
  const s1 = await mk(uid("s1"), orgA.id, "=Alpha 100%", "ended", "bunny_stream", { startedAt: at(D1, "09:55") });
  const s2 = await mk(uid("s2"), orgA.id, "Bravo", "live", "youtube", { startedAt: at(D2, "13:55") });
  const s3 = await mk(uid("s3"), orgB.id, "Charlie", "ended", "bunny_stream", { startedAt: at(D1, "09:00") });
  // Scheduled inside the range without any viewer: listed with zeros.
  const s4 = await mk(uid("s4"), orgA.id, "Delta", "scheduled", "youtube", { scheduledStartAt: at(D2, "18:00") });
  // Started long before the range and no sessions in it: not listed.
  await mk(uid("s5"), orgA.id, "Echo", "ended", "youtube", { startedAt: at("2024-01-01", "10:00") });
  // Live, nobody watching.
  const s6 = await mk(uid("s6"), orgA.id, "Foxtrot", "live", "bunny_stream", { startedAt: new Date(Date.now() - 3_600_000) });

  const c = (n: number) => `${token}_c${n}`;
  const pool = getPool();
  const sessions: [string, string, Date, number | null, number, number, boolean][] = [
    // stream, client, start, startup_ms, watch, buffer, has_error
    [s1.id, c(1), at(D1, "10:00"), 1000, 300, 30, false],
    [s1.id, c(2), at(D1, "10:05"), 2000, 300, 0, true],
    [s1.id, c(1), at(D2, "12:00"), 3000, 200, 10, false],
    [s1.id, c(3), at(D2, "13:00"), null, 200, 0, false],
    [s2.id, c(1), at(D2, "14:00"), 500, 300, 0, false],
    [s2.id, c(4), at(D3, "09:00"), 4000, 100, 20, true],
    [s3.id, c(5), at(D1, "10:00"), null, 50, 0, false],
    [s3.id, c(1), at(D3, "10:00"), null, 150, 0, false],
  ];
  for (const [stream, client, start, startup, watch, buffer, err] of sessions) {
    await pool.query(
      `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, watch_seconds, buffer_seconds, has_error, startup_ms, finalized_at)
       VALUES ($1, $2, $3, $3::timestamptz + make_interval(secs => $5), 'DE', 'desktop', $5, $6, $7, $4, now())`,
      [stream, client, start, startup, watch, buffer, err],
    );
  }
  // Watching S2 right now (event 10 s ago) and one who left two minutes ago.
  await pool.query(
    `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, device_class)
     VALUES ($1, $2, now() - interval '5 minutes', now() - interval '10 seconds', 'mobile'),
            ($1, $3, now() - interval '9 minutes', now() - interval '120 seconds', 'mobile')`,
    [s2.id, c(6), c(7)],
  );

  const daily: [string, string, number, number, number, number, number, number, number, number][] = [
    // stream, day, viewers, sessions, watch, buffer, error_sessions, startup_ms_sum, startup_sessions, peak
    [s1.id, D1, 2, 2, 600, 30, 1, 3000, 2, 2],
    [s1.id, D2, 2, 2, 400, 10, 0, 3000, 1, 1],
    [s2.id, D2, 1, 1, 300, 0, 0, 500, 1, 1],
    [s2.id, D3, 1, 1, 100, 20, 1, 4000, 1, 3],
    [s3.id, D1, 1, 1, 50, 0, 0, 0, 0, 1],
    [s3.id, D3, 1, 1, 150, 0, 0, 0, 0, 1],
  ];
  for (const row of daily) {
    await pool.query(
      `INSERT INTO stream_daily_stats (stream_id, day, viewers, sessions, watch_seconds, buffer_seconds, error_sessions, startup_ms_sum, startup_sessions, peak_concurrent)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10)`,
      row,
    );
  }
  const conc: [string, Date, number][] = [
    [s1.id, at(D1, "10:05"), 2],
    [s1.id, at(D2, "12:00"), 1],
    [s1.id, at(D2, "13:00"), 1],
    [s2.id, at(D2, "14:00"), 1],
    [s2.id, at(D3, "09:00"), 3],
    [s3.id, at(D1, "10:00"), 1],
    [s3.id, at(D3, "10:00"), 1],
  ];
  for (const row of conc) {
    await pool.query(`INSERT INTO stream_concurrency (stream_id, minute, viewers) VALUES ($1, $2, $3)`, row);
  }
  await pool.query(
    `INSERT INTO stream_stats (stream_id, unique_viewers, sessions, total_watch_seconds, own_watch_seconds, bunny_watch_seconds,
       avg_watch_seconds, peak_concurrent_viewers, peak_concurrent_at, buffer_seconds, buffer_ratio, error_sessions, error_rate,
       startup_ms_avg, startup_ms_p95, top_countries, devices, first_session_at, last_event_at)
     VALUES ($1, 3, 4, 1200, 1000, 1200, 250, 2, $2, 40, 0.04, 1, 0.25, 2000, 2900, $3, $4, $5, $6)`,
    [
      s1.id,
      at(D1, "10:05"),
      JSON.stringify([{ country: "DE", sessions: 3, watchSeconds: 800 }, { country: "FR", sessions: 1, watchSeconds: 200 }]),
      JSON.stringify({ desktop: 3, mobile: 1, tablet: 0, tv: 0, other: 0 }),
      at(D1, "10:00"),
      at(D2, "13:03"),
    ],
  );
  return { token, orgA, orgB, s1, s2, s3, s4, s6, clients: c };
}
