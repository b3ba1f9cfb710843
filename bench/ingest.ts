// npm run bench:ingest — how fast POST /api/analytics/events is, through both doors, against
// three baselines measured in the same run on the same machine (app, database and load generator
// sharing its cores):
//   DB limit     the same batches written straight to PostgreSQL by a bare script: one multi-row
//                INSERT of each batch's events, its own transaction, nothing else
//   PG floor     the same bare INSERT for up to 50 batches at once (two in flight): what
//                PostgreSQL takes of these events when nothing but storing them is asked
//   writer limit the same batches through the ingestion writer (group commit, sessions, dedup,
//                same SQL) in this process, no HTTP at all: what the doors could reach
//   HTTP limit   a bare node:http server that only parses the JSON
//   Next limit   an empty Next.js route handler (bench/next-empty) behind the same node:http front
//   Next door    `npm start` with INGEST_FAST_PATH=0: the route handler src/app/api/analytics/events
//   fast door    `npm start` as shipped: the core answers before Next
// Simulated viewers (bench/ingestLoad.ts) send batches of 1–4 events, each from its own address
// (X-Forwarded-For, TRUST_PROXY=1) and browser; bench/loadClient.ts keeps N connections busy. Each measured
// run sends a fixed number of batches (calibrated by a warm-up, built before the clock starts) so every batch sent is answered,
// and the rows in the database are then compared with what was answered as stored.
//
// Needs `next build` (run first when .next is missing; --build forces it) and PostgreSQL on
// 127.0.0.1:5432 (or TEST_DATABASE_URL); makes its own database and drops it afterwards.
// Flags: --duration=S (per target, default 12) --warmup=S (3) --connections=N (50)
//        --viewers=N (20000) --only=pg,pgg,db,http,next-empty,next,fast --build --keep-db
//        --cpu-prof=DIR (V8 CPU profiles of the servers, written when each stops)
//        --soak / --pg-restart: a 10-minute soak with the server's memory, or a run while
//        PostgreSQL restarts (see bench/ingestHardening.ts for their flags)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createTestDatabase } from "~/test/testDatabase";
import { waitForServerUrl } from "./childServer";
import { Audience, type SimBatch } from "./ingestLoad";
import { percentileOf, runLoad } from "./loadClient";
import type { PreparedBatch } from "~/ingest/writer";

const root = path.resolve(import.meta.dirname, "..");
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "1"];
  }),
);
const DURATION = Number(args.duration ?? 12);
const WARMUP = Number(args.warmup ?? 3);
const CONNECTIONS = Number(args.connections ?? 50);
const VIEWERS = Number(args.viewers ?? 20_000);
const ONLY = new Set((args.only ?? "pg,pgg,db,http,next-empty,next,fast").split(","));
const HEARTBEAT_S = 15;

interface Row {
  key: string;
  label: string;
  seconds: number;
  batches: number;
  events: number;
  p50: number;
  p99: number;
  failed: number;
  /** Events answered as stored, and rows found (doors and the DB limit only). */
  stored?: number;
  rows?: number;
  /** CPU milliseconds per 1,000 batches: server process tree, PostgreSQL backends, this process. */
  cpu?: { server: number; postgres: number; self: number };
}

function log(msg: string) {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Newest modification time of the files under `dir` (skipping build output and dependencies). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".next" || entry.name === "node_modules" || entry.name === "generated") continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** `next build` when the build is missing or older than its sources (the Next door must measure this code). */
function build(dir: string, force: boolean, distDir = path.join(dir, ".next"), sources = [dir]) {
  const id = path.join(distDir, "BUILD_ID");
  if (!force && existsSync(id) && statSync(id).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  log(`next build in ${path.relative(root, dir) || "."} …`);
  const r = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`next build failed in ${dir}`);
}

const children = new Set<ChildProcess>();

async function startChild(argv: string[], env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [...(args["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${args["cpu-prof"]}`] : []), ...argv], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const url = await waitForServerUrl(child, argv.join(" "), 60_000, () => stderr);
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => {
          children.delete(child);
          resolve();
        });
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** One load run (bench/loadClient.ts); every batch sent is answered (fixed amount), or `seconds` when warming up. */
async function fire(url: string, source: () => SimBatch, opts: { amount?: number; seconds?: number }) {
  let stored = 0;
  let events = 0;
  let failed = 0;
  const result = await runLoad<number>({
    url,
    path: "/api/analytics/events",
    connections: CONNECTIONS,
    amount: opts.amount,
    seconds: opts.seconds,
    timeoutMs: 10_000,
    next() {
      const b = source();
      return {
        body: b.body,
        headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": b.viewer.ua, "x-forwarded-for": b.viewer.ip },
        context: b.events,
      };
    },
    onResponse(status, body, batchEvents) {
      if (status !== 202) {
        failed++;
        return;
      }
      events += batchEvents;
      stored += (JSON.parse(body) as { ingested: number }).ingested;
    },
  });
  return {
    ok: result.ok2xx,
    p50: percentileOf(result.latencies, 50),
    p99: percentileOf(result.latencies, 99),
    seconds: result.seconds,
    stored,
    events,
    failed: failed + result.errors + result.timeouts,
  };
}

/** The measured run's batches, made before it starts. */
function pregenerate<T>(audience: Audience, amount: number, make: (a: Audience) => T): T[] {
  return Array.from({ length: amount }, () => make(audience));
}

async function httpTarget(key: string, label: string, url: string, serverPid: number, db: pg.Pool, stores: boolean): Promise<Row> {
  log(`${label}: warm-up ${WARMUP} s`);
  const warmAudience = new Audience({ prefix: `w${key}`, viewers: VIEWERS, streamIds, seed: 7 });
  const warm = await fire(url, () => warmAudience.next(), { seconds: WARMUP });
  const rate = warm.ok / warm.seconds;
  const amount = Math.max(2000, Math.round(rate * DURATION));
  log(`${label}: ${amount} batches (~${DURATION} s at the warm-up rate of ${Math.round(rate)}/s)`);
  const prefix = `m${key}`;
  // Built before the clock starts, as wrk-style tools do: the cores measure the server, not the
  // making of JSON. Times stay right: the server corrects event times by the batch's own sentAt.
  const batches = pregenerate(new Audience({ prefix, viewers: VIEWERS, streamIds, seed: 11 }), amount, (a) => a.next());
  let i = 0;
  const before = await cpuSnapshot(db, serverPid);
  const run = await fire(url, () => batches[i++]!, { amount });
  const cpu = cpuDelta(before, await cpuSnapshot(db, serverPid));
  const row: Row = {
    key,
    label,
    seconds: run.seconds,
    batches: run.ok / run.seconds,
    events: run.events / run.seconds,
    p50: run.p50,
    p99: run.p99,
    failed: run.failed,
    cpu: perThousand(cpu, run.ok),
  };
  if (stores) {
    row.stored = run.stored;
    row.rows = await countRows(db, prefix);
  }
  return row;
}

async function countRows(db: pg.Pool, prefix: string): Promise<number> {
  const { rows } = await db.query("SELECT count(*)::int AS n FROM playback_events WHERE client_id LIKE $1", [`${prefix}%`]);
  return rows[0].n;
}

function perThousand(cpu: { server: number; postgres: number; self: number }, batches: number) {
  const k = batches > 0 ? 1000 / batches : 0;
  return { server: cpu.server * k, postgres: cpu.postgres * k, self: cpu.self * k };
}

/** The ingestion writer without HTTP: group commit, sessions and dedup, as both doors use it. */
async function writerLimit(): Promise<(b: PreparedBatch) => Promise<number>> {
  const { DEFAULT_MAX_IN_FLIGHT, createWriter } = await import("~/ingest/writer");
  const { getPool } = await import("~/lib/db/pool");
  const poolMax = Number(getPool().options.max ?? 10);
  const writer = createWriter({ pool: getPool, maxInFlight: Math.max(1, Math.min(DEFAULT_MAX_IN_FLIGHT, poolMax - 2)) });
  return async (b) => (await writer.write(b)).ingested;
}

/** A bare script's write: the batches' events in one multi-row INSERT, nothing else. */
async function insertBare(pool: pg.Pool, batches: PreparedBatch[]): Promise<number> {
  const ev = batches.flatMap((b) => b.events.map((e) => ({ ...e, streamId: b.streamId, clientId: b.clientId })));
  const r = await pool.query(
    `INSERT INTO playback_events (stream_id, client_id, seq, type, event_at, client_ts, video_time, extra)
     SELECT s, c, q, t::event_type, to_timestamp(a / 1000.0), ts, vt, x::jsonb
     FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::float8[], $6::int8[], $7::float8[], $8::text[]) AS u(s, c, q, t, a, ts, vt, x)`,
    [
      ev.map((e) => e.streamId),
      ev.map((e) => e.clientId),
      ev.map((e) => e.seq),
      ev.map((e) => e.type),
      ev.map((e) => e.at),
      ev.map((e) => e.ts),
      ev.map((e) => e.videoTime),
      ev.map((e) => (e.extra ? JSON.stringify(e.extra) : null)),
    ],
  );
  return r.rowCount ?? 0;
}

/** DB limit, as the issue defines it: a bare script, one INSERT (one transaction) per batch. */
function barePerBatch(url: string): (b: PreparedBatch) => Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return (b) => insertBare(pool, [b]);
}

/** PostgreSQL's floor: the same bare INSERT for up to 50 waiting batches at once, two at a time. */
function bareGrouped(url: string): (b: PreparedBatch) => Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const queue: { b: PreparedBatch; resolve(n: number): void; reject(e: unknown): void }[] = [];
  let inFlight = 0;
  const pump = () => {
    while (inFlight < 2 && queue.length > 0) {
      const group = queue.splice(0, 50);
      inFlight++;
      insertBare(
        pool,
        group.map((g) => g.b),
      )
        .then(
          () => group.forEach((g) => g.resolve(g.b.events.length)),
          (err: unknown) => group.forEach((g) => g.reject(err)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };
  return (b) =>
    new Promise<number>((resolve, reject) => {
      queue.push({ b, resolve, reject });
      pump();
    });
}

async function dbTarget(db: pg.Pool, key: string, label: string, write: (b: PreparedBatch) => Promise<number>): Promise<Row> {
  const runFor = async (source: () => PreparedBatch, opts: { seconds?: number; amount?: number }) => {
    const latencies: number[] = [];
    let stored = 0;
    let events = 0;
    let failed = 0;
    let issued = 0;
    const deadline = performance.now() + (opts.seconds ?? Infinity) * 1000;
    const more = () => (opts.amount ? issued < opts.amount : performance.now() < deadline);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (more()) {
          issued++;
          const b = source();
          const t0 = performance.now();
          try {
            const n = await write(b);
            stored += n;
            events += b.events.length;
            latencies.push(performance.now() - t0);
          } catch {
            failed++;
          }
        }
      }),
    );
    return { latencies: latencies.sort((a, b) => a - b), stored, events, failed, seconds: (performance.now() - started) / 1000 };
  };
  log(`${label}: warm-up ${WARMUP} s`);
  const warmAudience = new Audience({ prefix: `w${key}`, viewers: VIEWERS, streamIds, seed: 7 });
  const warm = await runFor(() => warmAudience.nextPrepared(), { seconds: WARMUP });
  const amount = Math.max(2000, Math.round((warm.latencies.length / warm.seconds) * DURATION));
  log(`${label}: ${amount} batches (~${DURATION} s at the warm-up rate)`);
  const prefix = `m${key}`;
  const batches = pregenerate(new Audience({ prefix, viewers: VIEWERS, streamIds, seed: 11 }), amount, (a) => a.nextPrepared());
  let i = 0;
  const before = await cpuSnapshot(db, null);
  const run = await runFor(() => batches[i++]!, { amount });
  const cpu = cpuDelta(before, await cpuSnapshot(db, null));
  return {
    key,
    label,
    seconds: run.seconds,
    batches: run.latencies.length / run.seconds,
    events: run.events / run.seconds,
    p50: percentileOf(run.latencies, 50),
    p99: percentileOf(run.latencies, 99),
    failed: run.failed,
    stored: run.stored,
    rows: await countRows(db, prefix),
    cpu: perThousand(cpu, run.latencies.length),
  };
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)
// Throughput on a shared machine depends on what else runs; CPU time per batch much less so. Each
// measured run records the CPU used by the server process tree, by the PostgreSQL backends serving
// the bench database, and by this process (the load generator or, for the DB limit, the writer).

const TICK_MS = 10; // USER_HZ = 100 on Linux

function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  const out = [pid];
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === pid) out.push(...descendants(Number(entry)));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc: CPU figures stay empty
  }
  return out;
}

interface CpuSnapshot {
  server: Map<number, number>;
  postgres: Map<number, number>;
  self: number;
}

async function cpuSnapshot(db: pg.Pool, serverPid: number | null): Promise<CpuSnapshot> {
  const { rows } = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  const usage = process.cpuUsage();
  return {
    server: new Map((serverPid ? descendants(serverPid) : []).map((p) => [p, procCpuMs(p)])),
    postgres: new Map(rows.map((r) => [r.pid, procCpuMs(r.pid)])),
    self: (usage.user + usage.system) / 1000,
  };
}

function cpuDelta(before: CpuSnapshot, after: CpuSnapshot) {
  const sum = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((n, [pid, ms]) => n + ms - (a.get(pid) ?? 0), 0);
  return { server: sum(before.server, after.server), postgres: sum(before.postgres, after.postgres), self: after.self - before.self };
}

let streamIds: string[] = [];
const loadBefore = os.loadavg()[0]!.toFixed(2);

async function main() {
  build(root, args.build === "1", path.join(root, ".next"), [path.join(root, "src")]);
  // --soak and --pg-restart: the hardening runs (bench/ingestHardening.ts) instead of the table.
  if (args.soak === "1" || args["pg-restart"] === "1") {
    const { runHardening } = await import("./ingestHardening");
    await runHardening(args);
    return;
  }
  if (ONLY.has("next-empty")) build(path.join(root, "bench/next-empty"), args.build === "1", path.join(root, ".next/bench-next-empty"));

  const database = await createTestDatabase("streamscope_bench");
  if (database.kind !== "postgres") log("WARNING: no PostgreSQL answered; measuring the embedded database (figures not comparable)");
  process.env.DATABASE_URL = database.url;
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  await db.query("INSERT INTO organizers (id, name, slug, updated_at) VALUES ('bench-org', 'Bench', 'bench', now())");
  streamIds = Array.from({ length: 5 }, (_, i) => `bench-stream-${i}`);
  await db.query(
    "INSERT INTO streams (id, organizer_id, title, status, updated_at) SELECT id, 'bench-org', id, 'live', now() FROM unnest($1::text[]) AS id",
    [streamIds],
  );

  const serverEnv = {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: "bench-secret-0123456789",
    // Required in production (src/env.ts); these servers never send a sign-in link anywhere.
    NEXTAUTH_URL: "http://127.0.0.1",
    HOST: "127.0.0.1",
    PORT: "0",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    TRUST_PROXY: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const rows: Row[] = [];
  // Pairs that are compared run back to back (empty route → Next door; DB limit → fast door), so
  // that whatever else the machine is doing weighs on both sides of each ratio alike.
  const targets: [string, string, string[] | null, Record<string, string>, boolean][] = [
    ["next-empty", "Next limit: empty route handler", ["bench/ingestServers.ts", "next-empty"], {}, false],
    ["next", "Next.js door (INGEST_FAST_PATH=0)", ["src/cli/server.ts"], { ...serverEnv, INGEST_FAST_PATH: "0" }, true],
    ["http", "HTTP limit: bare node:http, JSON.parse", ["bench/ingestServers.ts", "bare-http"], {}, false],
    ["pg", "DB limit: bare script, INSERT per batch", null, {}, true],
    ["pgg", "PostgreSQL floor: bare INSERT of 50 batches", null, {}, true],
    ["db", "writer limit: ingestion writer, no HTTP", null, {}, true],
    ["fast", "fast door (npm start)", ["src/cli/server.ts"], { ...serverEnv, INGEST_FAST_PATH: "1" }, true],
  ];
  try {
    for (const [key, label, argv, env, stores] of targets) {
      if (!ONLY.has(key)) continue;
      if (!argv) {
        const write = key === "pg" ? barePerBatch(database.url) : key === "pgg" ? bareGrouped(database.url) : await writerLimit();
        rows.push(await dbTarget(db, key, label, write));
        continue;
      }
      const server = await startChild(argv, { NODE_ENV: "production", ...env });
      try {
        rows.push(await httpTarget(key, label, server.url, server.pid, db, stores));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await db.end();
    if (args["keep-db"] !== "1") await database.drop();
    else log(`database kept: ${database.url}`);
  }
  report(rows);
}

function report(rows: Row[]) {
  const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const by = (k: string) => rows.find((r) => r.key === k);
  const lines: string[] = [];
  lines.push("");
  lines.push(`POST /api/analytics/events — ${CONNECTIONS} connections, ${f(VIEWERS)} simulated viewers, batches of 1–4 events, ~${DURATION} s per target`);
  lines.push(`machine: ${os.cpus().length} cores; load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(2)} after (other work on the machine lowers every figure)`);
  lines.push("");
  const head = ["target", "batches/s", "events/s", "p50 ms", "p99 ms", "failed", "stored = rows", "CPU µs/batch: app", "PostgreSQL", "bench"];
  const table = rows.map((r) => [
    r.label,
    f(r.batches),
    f(r.events),
    f(r.p50, 1),
    f(r.p99, 1),
    f(r.failed),
    r.rows === undefined ? "–" : `${f(r.stored!)} = ${f(r.rows)} ${r.rows === r.stored && r.failed === 0 ? "ok" : "MISMATCH"}`,
    // ms per 1,000 batches = µs per batch.
    r.cpu ? (r.key === "db" || r.key.startsWith("pg") ? "–" : f(r.cpu.server)) : "–",
    r.cpu ? f(r.cpu.postgres) : "–",
    r.cpu ? f(r.cpu.self) : "–",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  lines.push(fmt(head));
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const t of table) lines.push(fmt(t));
  lines.push("");

  const checks: string[] = [];
  const check = (ok: boolean, text: string) => checks.push(`${ok ? "PASS" : "FAIL"}  ${text}`);
  const next = by("next"), empty = by("next-empty"), fast = by("fast"), dbRow = by("pg"), floorRow = by("pgg"), writerRow = by("db");
  if (next && empty) check(next.batches >= 0.6 * empty.batches, `Next.js door ≥ 60% of the empty route handler: ${f((100 * next.batches) / empty.batches)}%`);
  if (fast) {
    check(fast.events >= 25_000, `fast door ≥ 25,000 events/s: ${f(fast.events)}`);
    check(fast.p99 < 50, `fast door p99 < 50 ms: ${f(fast.p99, 1)} ms`);
  }
  if (fast && dbRow) check(fast.events >= 0.5 * dbRow.events, `fast door ≥ 50% of the DB limit (bare script): ${f((100 * fast.events) / dbRow.events)}%`);
  if (fast && floorRow) lines.push(`(not a target) fast door = ${f((100 * fast.events) / floorRow.events)}% of PostgreSQL's floor, bare INSERTs of 50 batches (events only: no sessions, no dedup)`);
  if (fast && writerRow) lines.push(`(not a target) fast door = ${f((100 * fast.events) / writerRow.events)}% of the writer limit, the same writer without HTTP`);
  for (const r of rows) if (r.rows !== undefined) check(r.rows === r.stored && r.failed === 0, `${r.label}: nothing lost (rows = events answered as stored, no failed batch)`);
  lines.push(...checks);
  lines.push("");
  for (const r of [fast, next].filter((x): x is Row => !!x)) {
    lines.push(`Capacity, ${r.label}: ${f(r.batches * HEARTBEAT_S)} concurrent viewers per instance at one batch per viewer per ${HEARTBEAT_S} s (measured)`);
    if (r.cpu) {
      // What the CPU time per batch allows when this machine's cores do nothing else.
      const appAndDb = r.cpu.server + r.cpu.postgres;
      const cores = os.cpus().length;
      lines.push(
        `  CPU: ${f(appAndDb)} µs per batch for app + PostgreSQL (${f(appAndDb + r.cpu.self)} with the load generator): ` +
          `an idle ${cores}-core machine would carry ~${f((cores * 1e6) / (appAndDb + r.cpu.self))} batches/s with the load generator on it, ` +
          `~${f(((cores * 1e6) / appAndDb) * HEARTBEAT_S)} viewers without (estimate, not measured)`,
      );
    }
  }
  console.log(lines.join("\n"));
  const dir = path.join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `ingest-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ connections: CONNECTIONS, viewers: VIEWERS, duration: DURATION, rows, checks }, null, 2));
  log(`figures saved to ${path.relative(root, file)}`);
}

const stopChildren = () => {
  for (const c of children) c.kill("SIGKILL");
};
process.on("exit", stopChildren);
process.on("SIGINT", () => process.exit(130));

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
