// Hardening runs of `npm run bench:ingest` (the fast door, `npm start` as shipped):
//
//   --soak [--soak-seconds=600] [--rate=400] [--connections=20]
//       A steady load for 10 minutes. The server's resident memory (RSS) is sampled every 10 s and
//       printed at start and end; the verdict says whether it grows without bound (the second
//       half's peak against the first half's, after a 30 s warm-up). Nothing may be lost: rows in
//       the database = events answered as stored.
//
//   --pg-restart [--pg-cluster=15/main] [--restart-at=10] [--restart-seconds=30] [--rate=300]
//       The same load while PostgreSQL is restarted in the middle
//       (`pg_ctlcluster --skip-systemctl-redirect <version> <cluster> restart`). Afterwards every
//       batch answered 202 must be in the database, every other batch must have been answered
//       5xx (503: the tracker retries it), and 202s must come back after the restart. Point
//       TEST_DATABASE_URL at the cluster being restarted when it is not 127.0.0.1:5432.
//
// Viewers are the ones of bench/ingestLoad.ts; requests are paced at --rate batches/s over
// --connections keep-alive connections.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createTestDatabase } from "~/test/testDatabase";
import { waitForServerUrl } from "./childServer";
import { Audience } from "./ingestLoad";

const root = path.resolve(import.meta.dirname, "..");
type Args = Record<string, string>;

function say(msg: string) {
  process.stderr.write(`[bench] ${msg}\n`);
}

// ---------------------------------------------------------------- server and memory

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["src/cli/server.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const url = await waitForServerUrl(child, "server", 90_000, () => stderr);
  process.on("exit", () => child.kill("SIGKILL"));
  return {
    url,
    pid: child.pid!,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

function descendants(pid: number): number[] {
  const out = [pid];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(...descendants(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS of the server: the largest process of its tree (the Node process serving; tsx's launcher is small). */
function serverRssMb(pid: number): number {
  return Math.max(...descendants(pid).map(rssKb)) / 1024;
}

// ---------------------------------------------------------------- load

interface Outcome {
  status: number; // 0 = no answer (connection error)
  clientId: string;
  seqs: number[];
  ingested: number;
  at: number;
}

/**
 * Sends batches at `rate`/s over `connections` keep-alive sockets until `seconds` pass. A slot
 * more than a second late is dropped rather than sent in a catch-up burst (the load stays steady
 * when the machine is busy); the count of dropped slots is returned.
 */
async function drive(opts: {
  url: string;
  audience: Audience;
  rate: number;
  connections: number;
  seconds: number;
  onOutcome(o: Outcome): void;
}): Promise<{ dropped: number }> {
  const u = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const t0 = performance.now();
  const end = t0 + opts.seconds * 1000;
  let n = 0;
  let dropped = 0;
  const worker = async () => {
    for (;;) {
      const due = t0 + (n++ * 1000) / opts.rate;
      if (due >= end) return;
      const wait = due - performance.now();
      if (wait < -1000) {
        dropped++;
        continue;
      }
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const b = opts.audience.next();
      const parsed = JSON.parse(b.body) as { events: { seq: number }[] };
      const seqs = parsed.events.map((e) => e.seq);
      const outcome = await new Promise<Outcome>((resolve) => {
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            path: "/api/analytics/events",
            method: "POST",
            agent,
            timeout: 15_000,
            headers: {
              "content-type": "text/plain;charset=UTF-8",
              "content-length": Buffer.byteLength(b.body),
              "user-agent": b.viewer.ua,
              "x-forwarded-for": b.viewer.ip,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              let ingested = 0;
              if (res.statusCode === 202) ingested = (JSON.parse(Buffer.concat(chunks).toString()) as { ingested: number }).ingested;
              resolve({ status: res.statusCode ?? 0, clientId: b.viewer.clientId, seqs, ingested, at: performance.now() - t0 });
            });
          },
        );
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", () => resolve({ status: 0, clientId: b.viewer.clientId, seqs, ingested: 0, at: performance.now() - t0 }));
        req.end(b.body);
      });
      opts.onOutcome(outcome);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  agent.destroy();
  return { dropped };
}

async function setupDatabase(prefix: string) {
  const database = await createTestDatabase(prefix);
  if (database.kind !== "postgres") throw new Error("these runs need PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432)");
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  db.on("error", () => {});
  await db.query("INSERT INTO organizers (id, name, slug, updated_at) VALUES ('bench-org', 'Bench', 'bench', now())");
  const streamIds = Array.from({ length: 5 }, (_, i) => `bench-stream-${i}`);
  await db.query(
    "INSERT INTO streams (id, organizer_id, title, status, updated_at) SELECT id, 'bench-org', id, 'live', now() FROM unnest($1::text[]) AS id",
    [streamIds],
  );
  return { database, db, streamIds };
}

function serverEnv(url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    NEXTAUTH_SECRET: "bench-secret-0123456789",
    // Required in production (src/env.ts); these servers never send a sign-in link anywhere.
    NEXTAUTH_URL: "http://127.0.0.1",
    HOST: "127.0.0.1",
    PORT: "0",
    NODE_ENV: "production",
    LOG_LEVEL: "error",
    TRUST_PROXY: "1",
    INGEST_FAST_PATH: "1",
    // Every simulated viewer has its own address; the limit is not what these runs measure.
    RATE_LIMIT_PER_MINUTE: "1000000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function save(name: string, data: unknown) {
  const dir = path.join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  say(`figures saved to ${path.relative(root, file)}`);
}

// ---------------------------------------------------------------- --soak

async function soak(args: Args) {
  const seconds = Number(args["soak-seconds"] ?? 600);
  const rate = Number(args.rate ?? 400);
  const connections = Number(args.connections ?? 20);
  const warmup = Math.min(30, seconds / 5);
  const { database, db, streamIds } = await setupDatabase("streamscope_soak");
  const server = await startServer(serverEnv(database.url));
  const samples: { t: number; rss: number }[] = [];
  const counts = new Map<number, number>();
  let stored = 0;
  try {
    const startRss = serverRssMb(server.pid);
    say(`soak: ${seconds} s at ${rate} batches/s over ${connections} connections; server RSS at start ${f(startRss, 1)} MB`);
    const t0 = performance.now();
    const timer = setInterval(() => {
      const t = (performance.now() - t0) / 1000;
      const rss = serverRssMb(server.pid);
      samples.push({ t, rss });
      if (samples.length % 6 === 0) say(`  t=${f(t)} s  RSS ${f(rss, 1)} MB  answered ${f([...counts.values()].reduce((a, b) => a + b, 0))}`);
    }, 10_000);
    const { dropped } = await drive({
      url: server.url,
      audience: new Audience({ prefix: "soak", viewers: 20_000, streamIds, seed: 5 }),
      rate,
      connections,
      seconds,
      onOutcome(o) {
        counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
        stored += o.ingested;
      },
    });
    clearInterval(timer);
    const endRss = serverRssMb(server.pid);
    samples.push({ t: (performance.now() - t0) / 1000, rss: endRss });
    const { rows } = await db.query("SELECT count(*)::int AS n FROM playback_events WHERE client_id LIKE 'soak%'");
    // RSS saw-tooths with V8's garbage collection, so a leak shows in the floor (the lowest RSS
    // after collections) rising from one third of the run to the next, not in single samples.
    const after = samples.filter((s) => s.t >= warmup);
    const third = Math.max(1, Math.floor(after.length / 3));
    const parts = [after.slice(0, third), after.slice(third, 2 * third), after.slice(2 * third)].map((p) => (p.length ? p : after));
    const floors = parts.map((p) => Math.min(...p.map((s) => s.rss)));
    const peaks = parts.map((p) => Math.max(...p.map((s) => s.rss)));
    // Least-squares slope over the run after warm-up (MB per minute).
    const mt = after.reduce((a, s) => a + s.t, 0) / after.length;
    const mr = after.reduce((a, s) => a + s.rss, 0) / after.length;
    const slope = (after.reduce((a, s) => a + (s.t - mt) * (s.rss - mr), 0) / Math.max(1e-9, after.reduce((a, s) => a + (s.t - mt) ** 2, 0))) * 60;
    const bounded = floors[2]! <= floors[0]! * 1.15 + 16;
    const answered = [...counts.values()].reduce((a, b) => a + b, 0);
    const perMinute = samples.filter((_, i) => i % 6 === 5 || i === samples.length - 1).map((s) => `${f(s.t)}s ${f(s.rss)}`).join(", ");
    const lines = [
      "",
      `Soak — fast door, ${f(seconds)} s at ${rate} batches/s (${connections} connections), machine load average ${os.loadavg()[0]!.toFixed(2)}`,
      `server RSS: start ${f(startRss, 1)} MB, after ${f(warmup)} s warm-up ${f(after[0]?.rss ?? 0, 1)} MB, end ${f(endRss, 1)} MB`,
      `  per minute (MB): ${perMinute}`,
      `  thirds of the run after warm-up — floor ${floors.map((x) => f(x)).join(" → ")} MB, peak ${peaks.map((x) => f(x)).join(" → ")} MB; trend ${f(slope, 2)} MB/min`,
      `${bounded ? "PASS" : "FAIL"}  memory ${bounded ? "does not grow without bound (last third's floor within 15% + 16 MB of the first third's)" : "GROWS: the last third's floor is over 15% + 16 MB above the first third's"}`,
      `answers: ${[...counts].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? "no answer" : s} × ${f(n)}`).join(", ")} of ${f(answered)} batches (${f(answered / seconds)} /s)` +
        (dropped ? `; ${f(dropped)} slots not sent because the load generator fell over 1 s behind` : ""),
      `${rows[0].n === stored && (counts.get(202) ?? 0) === answered ? "PASS" : "FAIL"}  nothing lost: ${f(stored)} events answered as stored, ${f(rows[0].n)} rows`,
      "",
    ];
    console.log(lines.join("\n"));
    save("soak", { seconds, rate, connections, startRss, endRss, floors, peaks, slopeMbPerMin: slope, bounded, dropped, counts: Object.fromEntries(counts), stored, rows: rows[0].n, samples });
  } finally {
    await server.stop();
    await db.end();
    await database.drop();
  }
}

// ---------------------------------------------------------------- --pg-restart

async function pgRestart(args: Args) {
  const [version, cluster] = (args["pg-cluster"] ?? "15/main").split("/");
  const seconds = Number(args["restart-seconds"] ?? 30);
  const restartAt = Number(args["restart-at"] ?? 10);
  const rate = Number(args.rate ?? 300);
  const connections = Number(args.connections ?? 20);
  const { database, db, streamIds } = await setupDatabase("streamscope_pgrestart");
  const server = await startServer(serverEnv(database.url));
  const outcomes: Outcome[] = [];
  let restart = { began: 0, ended: 0, ok: false, output: "" };
  try {
    say(`pg-restart: ${seconds} s at ${rate} batches/s; restarting PostgreSQL ${version}/${cluster} at ${restartAt} s`);
    const t0 = performance.now();
    const restarting = new Promise<void>((resolve) => {
      setTimeout(() => {
        restart.began = (performance.now() - t0) / 1000;
        const child = spawn("pg_ctlcluster", ["--skip-systemctl-redirect", version!, cluster!, "restart"], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout!.on("data", (c: Buffer) => (out += c));
        child.stderr!.on("data", (c: Buffer) => (out += c));
        child.on("exit", (code) => {
          restart = { began: restart.began, ended: (performance.now() - t0) / 1000, ok: code === 0, output: out.trim() };
          say(`  PostgreSQL restarted (${code === 0 ? "ok" : `exit ${code}`}) from ${f(restart.began, 1)} s to ${f(restart.ended, 1)} s`);
          resolve();
        });
      }, restartAt * 1000);
    });
    await drive({
      url: server.url,
      audience: new Audience({ prefix: "pgr", viewers: 20_000, streamIds, seed: 9 }),
      rate,
      connections,
      seconds,
      onOutcome: (o) => outcomes.push(o),
    });
    await restarting;

    // Which answered-202 events are missing; which refused ones got stored anyway.
    const accepted = outcomes.filter((o) => o.status === 202);
    const keyList = (os_: Outcome[]) => {
      const c: string[] = [];
      const s: number[] = [];
      for (const o of os_) {
        for (const q of o.seqs) {
          c.push(o.clientId);
          s.push(q);
        }
      }
      return { c, s };
    };
    const present = async (os_: Outcome[]) => {
      const { c, s } = keyList(os_);
      let n = 0;
      for (let i = 0; i < c.length; i += 20_000) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM unnest($1::text[], $2::int[]) AS u(c, q)
            WHERE EXISTS (SELECT 1 FROM playback_events e WHERE e.client_id = u.c AND e.seq = u.q)`,
          [c.slice(i, i + 20_000), s.slice(i, i + 20_000)],
        );
        n += rows[0].n;
      }
      return { total: c.length, present: n };
    };
    const acc = await present(accepted);
    const refused = outcomes.filter((o) => o.status !== 202);
    const ref = await present(refused);
    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    const bad = outcomes.filter((o) => o.status !== 202 && !(o.status >= 500 && o.status <= 599));
    const afterRestart = outcomes.filter((o) => o.at / 1000 > restart.ended + 2);
    const okAfter = afterRestart.filter((o) => o.status === 202).length;
    const failWindow = outcomes.filter((o) => o.status !== 202).map((o) => o.at / 1000);
    const lines = [
      "",
      `PostgreSQL restart — fast door, ${f(seconds)} s at ${rate} batches/s (${connections} connections); ` +
        `pg_ctlcluster ${version} ${cluster} restart from ${f(restart.began, 1)} s to ${f(restart.ended, 1)} s${restart.ok ? "" : ` FAILED: ${restart.output}`}`,
      `answers: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? "no answer" : s} × ${f(n)}`).join(", ")} of ${f(outcomes.length)} batches`,
      failWindow.length ? `refusals between ${f(Math.min(...failWindow), 1)} s and ${f(Math.max(...failWindow), 1)} s` : "no refusals",
      `${acc.present === acc.total ? "PASS" : "FAIL"}  every batch answered 202 is in the database: ${f(acc.present)} of ${f(acc.total)} events`,
      `${bad.length === 0 ? "PASS" : "FAIL"}  every other batch was answered 5xx (the tracker retries): ${f(bad.length)} were not (${bad.length ? [...new Set(bad.map((b) => b.status))].join(", ") : "none"})`,
      `${restart.ok && okAfter > 0 && okAfter === afterRestart.length ? "PASS" : "FAIL"}  ingestion recovers: ${f(okAfter)} of ${f(afterRestart.length)} batches sent from 2 s after the restart answered 202`,
      `note: events of refused batches found stored anyway: ${f(ref.present)} of ${f(ref.total)} (a commit whose answer was lost; a retry is a duplicate, not a double count)`,
      "",
    ];
    console.log(lines.join("\n"));
    save("pg-restart", { seconds, rate, connections, restart, byStatus: Object.fromEntries(byStatus), accepted: acc, refused: ref, notFiveXx: bad.length, okAfter, afterRestart: afterRestart.length });
  } finally {
    await server.stop();
    await db.end().catch(() => {});
    await database.drop().catch((err: Error) => say(`could not drop the database: ${err.message}`));
  }
}

export async function runHardening(args: Args): Promise<void> {
  // The server must run this code: build when missing (bench/ingest.ts builds too, with --build).
  const r = spawnSync("test", ["-f", path.join(root, ".next/BUILD_ID")]);
  if (r.status !== 0) throw new Error("no production build: run `npx next build` first");
  if (args.soak === "1") await soak(args);
  if (args["pg-restart"] === "1") await pgRestart(args);
}
