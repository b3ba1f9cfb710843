// npm run db:seed — demo data: two organizers, a live Bunny stream, an ended YouTube stream, an
// ended Bunny stream with a synthetic audience (a few hundred viewers over past days), a scheduled
// stream, and a demo admin. Events are generated with a fixed random seed and turned into sessions
// with the same state walk the product uses, so every figure on the admin pages is true of them.
// Re-running it replaces the demo rows and nothing else. The demo admin's password is random, made
// on the first run and kept in .data/demo-admin-password (never a published one). A database with
// users other than the demo admin looks like a real one: db:seed refuses it unless --force.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { closePool, getPool } from "~/lib/db/pool";
import { db, disconnectPrisma } from "~/lib/db/prisma";
import { hashPassword } from "~/lib/password";
import type { DeviceClass, EventType } from "~/contract";
import { splitSessions, walk, type WalkEvent } from "~/sessions/walk";
import { runAggregation } from "~/aggregation/job";
import { seededRandom as rng } from "~/lib/random";

export const DEMO_ADMIN = { email: "admin@streamscope.local" } as const;

/**
 * The demo admin's password: read from `<dataDir>/demo-admin-password`, or made (random, 24
 * characters) and written there, readable by the owner only, on the first run.
 */
export function demoAdminPassword(dataDir = path.resolve(".data")): { password: string; created: boolean; file: string } {
  const file = path.join(dataDir, "demo-admin-password");
  try {
    const kept = fs.readFileSync(file, "utf8").trim();
    if (kept) return { password: kept, created: false, file };
  } catch {
    // Not made yet.
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(18).toString("base64url");
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, created: true, file };
}

export class SeedRefused extends Error {}

/** Refuses (SeedRefused) a database that holds users other than the demo admin, unless `force`. */
export async function checkSeedTarget(client: Pick<pg.Pool | pg.Client, "query">, opts: { force: boolean }): Promise<void> {
  if (opts.force) return;
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE email <> $1", [DEMO_ADMIN.email]);
  const n = rows[0]?.n ?? 0;
  if (n > 0) {
    throw new SeedRefused(
      `This database holds ${n} user${n === 1 ? "" : "s"} besides the demo admin: it looks like a real one. ` +
        `Seeding adds demo streams and audiences and creates or resets ${DEMO_ADMIN.email}. ` +
        "Run it with --force (npm run db:seed -- --force) if that is what you want.",
    );
  }
}

export const DEMO_IDS = {
  organizers: { alpine: "org_alpine_racing", coast: "org_coastal_events" },
  liveBunny: "demo-live-bunny",
  endedYoutube: "demo-ended-youtube",
  endedBunny: "demo-ended-bunny",
  scheduled: "demo-scheduled",
} as const;


type Rand = () => number;
const pick = <T,>(r: Rand, weighted: [T, number][]): T => {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of weighted) {
    x -= w;
    if (x <= 0) return v;
  }
  return weighted[weighted.length - 1]![0];
};

const COUNTRIES: [string, number][] = [
  ["DE", 22], ["FR", 15], ["IT", 12], ["CH", 10], ["AT", 9], ["US", 8], ["GB", 7], ["ES", 5], ["NL", 4], ["JP", 3], ["ZZ", 5],
];
const DEVICES: [{ device: DeviceClass; browser: string; os: string }, number][] = [
  [{ device: "desktop", browser: "Chrome", os: "Windows" }, 30],
  [{ device: "desktop", browser: "Safari", os: "macOS" }, 10],
  [{ device: "desktop", browser: "Firefox", os: "Linux" }, 4],
  [{ device: "mobile", browser: "Mobile Safari", os: "iOS" }, 22],
  [{ device: "mobile", browser: "Chrome", os: "Android" }, 18],
  [{ device: "tablet", browser: "Mobile Safari", os: "iOS" }, 8],
  [{ device: "tv", browser: "Chrome", os: "Android" }, 5],
  [{ device: "other", browser: "Unknown", os: "Unknown" }, 3],
];

interface GenEvent extends WalkEvent {
  seq: number;
  videoTime: number;
}

/** One viewing: play, heartbeats every 15 s, sometimes a pause, a stall or an error, maybe ended. */
function viewing(r: Rand, start: number, minutes: number, firstSeq: number): GenEvent[] {
  const out: GenEvent[] = [];
  let t = start;
  let vt = 0;
  let seq = firstSeq;
  const push = (type: EventType, extra?: Record<string, unknown>) => out.push({ type, at: t, seq: seq++, videoTime: Math.round(vt * 10) / 10, extra });
  push("play", { startupMs: Math.round(300 + r() * r() * 3500) });
  const end = start + minutes * 60_000;
  let paused = false;
  while (t < end) {
    const step = 15_000;
    if (!paused && r() < 0.015) {
      t += Math.round(r() * 14_000);
      push("buffer_start", { cause: "stall" });
      const stall = 1000 + Math.round(r() * 8000);
      t += stall;
      push("buffer_end");
      continue;
    }
    if (!paused && r() < 0.004) push("error", { code: "fragLoadError", message: "segment failed to load", fatal: false });
    if (!paused && r() < 0.01) {
      t += Math.round(r() * 10_000);
      push("pause");
      paused = true;
      continue;
    }
    if (paused) {
      t += 30_000 + Math.round(r() * 240_000);
      paused = false;
      push("play");
      continue;
    }
    t += step;
    vt += 15;
    push("heartbeat");
  }
  if (r() < 0.35) push("ended");
  return out;
}

interface Audience {
  streamId: string;
  viewers: number;
  windowStart: number;
  windowEnd: number;
  seed: number;
  avgMinutes: number;
}

async function insertAudience(a: Audience, seqBase: { next: number }) {
  const r = rng(a.seed);
  const pool = getPool();
  let sessions = 0;
  let events = 0;
  for (let v = 0; v < a.viewers; v++) {
    const clientId = `demo_${a.streamId.slice(5, 12)}_${v.toString(36).padStart(4, "0")}`;
    const country = pick(r, COUNTRIES);
    const dev = pick(r, DEVICES);
    const visits = r() < 0.2 ? 2 : 1;
    const all: GenEvent[] = [];
    let cursor = a.windowStart + r() * (a.windowEnd - a.windowStart) * 0.8;
    for (let i = 0; i < visits; i++) {
      const minutes = Math.max(0.5, -Math.log(1 - r()) * a.avgMinutes);
      const evs = viewing(r, Math.round(cursor), minutes, seqBase.next);
      seqBase.next += evs.length;
      all.push(...evs.filter((e) => e.at <= a.windowEnd));
      cursor += minutes * 60_000 + (40 + r() * 600) * 60_000;
    }
    for (const run of splitSessions(all)) {
      if (!run.length) continue;
      const w = walk(run);
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO viewer_sessions (stream_id, client_id, started_at, ended_at, country, device_class, browser, os,
           event_count, watch_seconds, buffer_seconds, has_error, startup_ms, last_state, finalized_at, updated_at)
         VALUES ($1,$2,to_timestamp($3/1000.0),to_timestamp($4/1000.0),$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,now())
         RETURNING id`,
        [
          a.streamId, clientId, run[0]!.at, run[run.length - 1]!.at, country, dev.device, dev.browser, dev.os,
          run.length, w.watchSeconds, w.bufferSeconds, w.hasError, w.startupMs, w.state,
          Date.now() - run[run.length - 1]!.at >= 30 * 60_000 ? new Date() : null,
        ],
      );
      await pool.query(
        `INSERT INTO playback_events (stream_id, client_id, session_id, seq, type, event_at, client_ts, video_time, extra)
         SELECT $1, $2, $3, s, t::event_type, to_timestamp(a/1000.0), a, vt, x
         FROM unnest($4::int[], $5::text[], $6::float8[], $7::float8[], $8::jsonb[]) AS u(s, t, a, vt, x)`,
        [
          a.streamId, clientId, rows[0]!.id,
          run.map((e) => e.seq), run.map((e) => e.type), run.map((e) => e.at), run.map((e) => e.videoTime),
          run.map((e) => (e.extra ? JSON.stringify(e.extra) : null)),
        ],
      );
      sessions++;
      events += run.length;
    }
  }
  return { sessions, events };
}

export async function seed(log: (line: string) => void, opts: { adminPassword: string; force?: boolean }) {
  await checkSeedTarget(getPool(), { force: opts.force ?? false });
  const now = Date.now();
  const hour = 3_600_000;
  const day = 24 * hour;
  const ids: string[] = [DEMO_IDS.liveBunny, DEMO_IDS.endedYoutube, DEMO_IDS.endedBunny, DEMO_IDS.scheduled];

  // Replace earlier demo rows (cascades to providers, sessions, stats); events have no FK.
  await getPool().query("DELETE FROM playback_events WHERE stream_id = ANY($1)", [ids]);
  await db.stream.deleteMany({ where: { id: { in: ids } } });

  const alpine = await db.organizer.upsert({
    where: { slug: "alpine-racing" },
    update: {},
    create: { id: DEMO_IDS.organizers.alpine, name: "Alpine Racing League", slug: "alpine-racing" },
  });
  const coast = await db.organizer.upsert({
    where: { slug: "coastal-events" },
    update: {},
    create: { id: DEMO_IDS.organizers.coast, name: "Coastal Events", slug: "coastal-events" },
  });

  await db.stream.create({
    data: {
      id: DEMO_IDS.liveBunny,
      organizerId: alpine.id,
      title: "Alpine Trail Championship — Stage 3 (live)",
      status: "live",
      scheduledStartAt: new Date(now - 2 * hour),
      startedAt: new Date(now - 2 * hour),
      provider: {
        create: {
          provider: "bunny_stream",
          bunnyLibraryId: "218441",
          bunnyVideoGuid: "9b3d2a0e-5f4c-4b7e-9a61-3c2f0d8e1a55",
          bunnyPlaybackHost: "vz-7f3e21c9-4a1.b-cdn.net",
          // The local demo clip looped as a live stream (src/streams/demoLive.ts) stands in for
          // Bunny's CDN, which a demo machine may not reach.
          playbackUrl: "/api/demo/live/playlist.m3u8",
        },
      },
    },
  });
  await db.stream.create({
    data: {
      id: DEMO_IDS.endedYoutube,
      organizerId: coast.id,
      title: "Coastal Regatta Finals",
      status: "ended",
      scheduledStartAt: new Date(now - 9 * day),
      startedAt: new Date(now - 9 * day),
      endedAt: new Date(now - 9 * day + 5 * hour),
      provider: { create: { provider: "youtube", youtubeVideoId: "M7lc1UVf-VE" } },
    },
  });
  await db.stream.create({
    data: {
      id: DEMO_IDS.endedBunny,
      organizerId: alpine.id,
      title: "Alpine Trail Championship — Stage 2",
      status: "ended",
      scheduledStartAt: new Date(now - 4 * day),
      startedAt: new Date(now - 4 * day),
      endedAt: new Date(now - 4 * day + 8 * hour),
      provider: {
        create: {
          provider: "bunny_stream",
          bunnyLibraryId: "218441",
          bunnyVideoGuid: "4e1c7b2a-8d3f-4a5e-b6c9-1f0a2d3e4b5c",
          bunnyPlaybackHost: "vz-7f3e21c9-4a1.b-cdn.net",
          playbackUrl: "/demo/hls/playlist.m3u8",
        },
      },
    },
  });
  await db.stream.create({
    data: {
      id: DEMO_IDS.scheduled,
      organizerId: coast.id,
      title: "Harbour Night Sprint",
      status: "scheduled",
      scheduledStartAt: new Date(now + 2 * day),
      provider: { create: { provider: "youtube", youtubeVideoId: "aqz-KE-bpKQ" } },
    },
  });

  const seqBase = { next: 1 };
  const stage2 = await insertAudience(
    { streamId: DEMO_IDS.endedBunny, viewers: 420, windowStart: now - 4 * day, windowEnd: now - 2 * day, seed: 2, avgMinutes: 18 },
    seqBase,
  );
  const regatta = await insertAudience(
    { streamId: DEMO_IDS.endedYoutube, viewers: 160, windowStart: now - 9 * day, windowEnd: now - 8 * day, seed: 9, avgMinutes: 12 },
    seqBase,
  );
  const live = await insertAudience(
    { streamId: DEMO_IDS.liveBunny, viewers: 60, windowStart: now - 2 * hour, windowEnd: now - 60_000, seed: 3, avgMinutes: 25 },
    seqBase,
  );
  log(
    `seeded 2 organizers, 4 streams; audiences: stage 2 ${stage2.sessions} sessions / ${stage2.events} events, ` +
      `regatta ${regatta.sessions} / ${regatta.events}, live ${live.sessions} / ${live.events}`,
  );

  const passwordHash = await hashPassword(opts.adminPassword);
  await db.user.upsert({
    where: { email: DEMO_ADMIN.email },
    update: { passwordHash, role: "admin" },
    create: { email: DEMO_ADMIN.email, name: "Demo Admin", passwordHash, role: "admin" },
  });
  log(`demo admin: ${DEMO_ADMIN.email}`);

  // Stats, daily series and concurrency for the demo streams, as the 5-minute job would make them.
  const agg = await runAggregation("cli", { streamIds: ids, full: true });
  log(`aggregation: ${agg.status}, ${agg.figures.streams ?? 0} streams, ${agg.figures.sessions ?? 0} sessions${agg.error ? ` (${agg.error})` : ""}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
  const target = await ensureDatabaseUrl();
  let code = 0;
  try {
    await migrate(target.url);
    const admin = demoAdminPassword();
    await seed(console.log, { adminPassword: admin.password, force: values.force });
    console.log(
      admin.created
        ? `demo admin login: ${DEMO_ADMIN.email} / ${admin.password} (shown once; kept in ${admin.file})`
        : `demo admin login: ${DEMO_ADMIN.email}, password in ${admin.file}`,
    );
  } catch (err) {
    if (!(err instanceof SeedRefused)) throw err;
    console.error(err.message);
    code = 1;
  } finally {
    await disconnectPrisma();
    await closePool();
    await target.stop();
  }
  process.exit(code);
}
