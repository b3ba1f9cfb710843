// Test support for the read model: a small known audience sent as viewers' batches through the
// real ingestion core (handleIngest: validation, corrected times, sessions, countries, devices),
// then the real aggregation job, so the admin queries read what the job wrote. The figures are
// computed by hand in src/server/api/routers/analytics/analytics.test.ts and csvExport.test.ts
// (docs/metrics.md). Every id is unique, so the fixture can share the test database.
import type { EventType } from "~/contract";
import { aggregate } from "~/aggregation/job";
import { handleIngest, type IngestDeps } from "~/ingest/handler";
import { createStreamCache } from "~/ingest/streamCache";
import { createWriter } from "~/ingest/writer";
import { getPool } from "~/lib/db/pool";
import { db } from "~/lib/db/prisma";
import { memoryRateLimiter } from "~/lib/rateLimit";
import { uid } from "~/test/factories";

export const D1 = "2025-03-01";
export const D2 = "2025-03-02";
export const D3 = "2025-03-03";

const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00Z`);

export const DESKTOP_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
export const MOBILE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

interface Ev {
  type: EventType;
  /** Corrected time, ms. */
  at: number;
  extra?: Record<string, unknown>;
}

/**
 * One view as the tracker reports it: `play` at `start` (with `startupMs` when given), a heartbeat
 * every 15 s, a stall from start + 16 s lasting `buffer` s (≤ 30), an `error` 5 s before the end
 * when `error`, and `pause` at start + `watch` s. Every gap is ≤ 15 s and the player plays or
 * buffers throughout, so the walk gives watch_seconds = `watch` and buffer_seconds = `buffer`
 * (docs/metrics.md#walk).
 */
export function view(start: Date, o: { watch: number; buffer?: number; error?: boolean; startupMs?: number }): Ev[] {
  const t0 = start.getTime();
  const s = (sec: number) => t0 + sec * 1000;
  const events: Ev[] = [{ type: "play", at: t0, ...(o.startupMs !== undefined ? { extra: { startupMs: o.startupMs } } : {}) }];
  for (let sec = 15; sec < o.watch; sec += 15) events.push({ type: "heartbeat", at: s(sec) });
  if (o.buffer) events.push({ type: "buffer_start", at: s(16) }, { type: "buffer_end", at: s(16 + o.buffer) });
  if (o.error) events.push({ type: "error", at: s(o.watch - 5), extra: { code: "fragLoadError", fatal: false } });
  events.push({ type: "pause", at: s(o.watch) });
  return events.sort((a, b) => a.at - b.at);
}

const rateLimitFree = memoryRateLimiter({ limit: 1_000_000, secret: "analytics-fixture" });
// A viewer's seq goes on across its views, as the tracker's does: (clientId, seq) identifies an event.
const nextSeq = new Map<string, number>();

/**
 * Sends one viewer's events through the ingestion core as the tracker would: batches of up to 8,
 * each sent (and received) at the time of its last event, with a clock exactly right, so every
 * corrected time is the event's own. Country from the trusted Cloudflare header, device from the
 * user agent. Each batch must be answered 202.
 */
export async function sendViewer(streamId: string, clientId: string, events: Ev[], who: { country: string; ua: string }): Promise<void> {
  const writer = createWriter({ pool: getPool, windowMs: 0 });
  let seq = nextSeq.get(clientId) ?? 1;
  for (let i = 0; i < events.length; i += 8) {
    const part = events.slice(i, i + 8);
    const sentAt = part[part.length - 1]!.at;
    const body = Buffer.from(
      JSON.stringify({ streamId, clientId, sentAt, events: part.map((e) => ({ type: e.type, ts: e.at, videoTime: (e.at - events[0]!.at) / 1000, seq: seq++, ...(e.extra ? { extra: e.extra } : {}) })) }),
    );
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": who.ua, "cf-ipcountry": who.country };
    const deps: IngestDeps = {
      limiter: rateLimitFree,
      streams: createStreamCache({ pool: getPool }),
      writer,
      client: { trustProxy: { hops: 0 }, vercel: false, countryHeader: "cf-ipcountry" },
      now: () => sentAt,
    };
    const res = await handleIngest({ method: "POST", header: (n) => headers[n], socketAddress: "192.0.2.77", readBody: async () => body }, deps);
    if (res.status !== 202) throw new Error(`fixture batch refused: ${res.status} ${res.body}`);
  }
  nextSeq.set(clientId, seq);
}

/** The aggregation job itself (without its lease, scoped to these streams: test files run in parallel). */
export async function runJob(streamIds: string[]): Promise<void> {
  await aggregate({ progress: () => {} }, { streamIds, full: true });
}

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
  const DE_DESKTOP = { country: "DE", ua: DESKTOP_UA };
  const FR_MOBILE = { country: "FR", ua: MOBILE_UA };
  const views: [string, string, Ev[], { country: string; ua: string }][] = [
    // S1. c1 and c2 touch at 10:05:00 on D1 (c1 ends as c2 starts): one at a time, peak 1.
    [s1.id, c(1), view(at(D1, "10:00"), { watch: 300, buffer: 30, startupMs: 1000 }), DE_DESKTOP],
    [s1.id, c(2), view(at(D1, "10:05"), { watch: 300, error: true, startupMs: 2000 }), DE_DESKTOP],
    [s1.id, c(1), view(at(D2, "12:00"), { watch: 200, buffer: 10, startupMs: 3000 }), DE_DESKTOP],
    [s1.id, c(3), view(at(D2, "13:00"), { watch: 200 }), FR_MOBILE],
    // S2.
    [s2.id, c(1), view(at(D2, "14:00"), { watch: 300, startupMs: 500 }), DE_DESKTOP],
    [s2.id, c(4), view(at(D3, "09:00"), { watch: 100, buffer: 20, error: true, startupMs: 4000 }), DE_DESKTOP],
    // S3 (organizer B).
    [s3.id, c(5), view(at(D1, "10:00"), { watch: 50 }), DE_DESKTOP],
    [s3.id, c(1), view(at(D3, "10:00"), { watch: 150 }), DE_DESKTOP],
  ];
  // Watching S2 right now (last event 10 s ago), and one who left two minutes ago.
  const now = Date.now();
  const heartbeats = (from: number, to: number): Ev[] => {
    const evs: Ev[] = [{ type: "play", at: from }];
    for (let t = from + 15_000; t < to; t += 15_000) evs.push({ type: "heartbeat", at: t });
    evs.push({ type: "heartbeat", at: to });
    return evs;
  };
  views.push([s2.id, c(6), heartbeats(now - 5 * 60_000, now - 10_000), FR_MOBILE]);
  views.push([s2.id, c(7), heartbeats(now - 9 * 60_000, now - 120_000), FR_MOBILE]);
  for (const [stream, client, events, who] of views) await sendViewer(stream, client, events, who);

  await runJob([s1.id, s2.id, s3.id]);
  // Bunny's own figure for S1, as a Bunny sync leaves it (src/bunny/sync.ts, tested there); the
  // next run merges it: total watch = max(own 1,000, Bunny 1,200).
  await getPool().query("UPDATE stream_stats SET bunny_watch_seconds = 1200 WHERE stream_id = $1", [s1.id]);
  await runJob([s1.id]);
  return { token, orgA, orgB, s1, s2, s3, s4, s6, clients: c };
}
