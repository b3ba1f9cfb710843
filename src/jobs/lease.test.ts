// Job exclusion that cannot outlive its holder, on PostgreSQL and on the embedded database (where
// every pool connection shares ONE session, so session advisory locks exclude nothing): two runs
// at once → one runs, one is skipped; a run whose process is killed mid-run (SIGKILL) blocks the
// next one only until its lease lapses, and its job_runs row is closed as failed then.
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "~/lib/db/embedded";
import { migrate } from "~/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "~/test/testDatabase";
import { runJob } from "./runner";

const LEASE_MS = 1500;

/** Starts leaseHolder.testkit.ts on `url` and resolves once its job's work has begun. */
function startHolder(url: string) {
  // node itself with tsx's loader (the tsx command would run the script in a grandchild that a
  // SIGKILL of its parent leaves running).
  const child = spawn(process.execPath, ["--import", "tsx", "src/jobs/leaseHolder.testkit.ts", url, String(LEASE_MS)], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const running = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /running (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`holder exited (${code}) before running: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, running, exited };
}

const databases: { name: string; setUp(): Promise<string>; tearDown(): Promise<void> }[] = [];
{
  let embedded: EmbeddedDatabase | undefined;
  let server: TestDatabase | undefined;
  databases.push({
    // Its own database: holding a job here must not make other test files' runs of it skip.
    name: "PostgreSQL",
    async setUp() {
      server = await createTestDatabase("streamscope_lease");
      return server.url;
    },
    tearDown: async () => server?.drop(),
  });
  databases.push({
    name: "the embedded database (PGlite, one shared session)",
    async setUp() {
      embedded = await startEmbeddedDatabase({ dataDir: "memory://", port: 0 });
      await migrate(embedded.url);
      return embedded.url;
    },
    tearDown: async () => embedded?.stop(),
  });
}

describe.each(databases)("job leases on $name", (database) => {
  let url: string;
  let pool: pg.Pool;
  beforeAll(async () => {
    url = await database.setUp();
    pool = new pg.Pool({ connectionString: url, max: 4 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await database.tearDown();
  });

  it("two runs at once: one runs, the other is skipped at once", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let ran = 0;
    const work = async () => {
      ran++;
      await gate;
      return {};
    };
    const [a, b] = [runJob("partitions", "test", work, { pool }), runJob("partitions", "test", work, { pool })];
    const first = await Promise.race([a, b]);
    expect(first.status).toBe("skipped");
    release();
    const outcomes = await Promise.all([a, b]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["skipped", "succeeded"]);
    expect(ran).toBe(1);
    // Released at the end: the next run runs.
    expect((await runJob("partitions", "test", async () => ({}), { pool })).status).toBe("succeeded");
  });

  it("a run killed mid-run blocks the next one only until its lease lapses", async () => {
    const holder = startHolder(url);
    const killedRunId = await holder.running;
    holder.child.kill("SIGKILL");
    await holder.exited;
    const killedAt = performance.now();

    // Still leased: a run now is skipped, and the killed run's row still says running.
    expect((await runJob("retention", "test", async () => ({}), { pool })).status).toBe("skipped");
    // Once the lease lapses, the next run starts, and closes the killed run's row.
    let outcome;
    for (;;) {
      outcome = await runJob("retention", "test", async () => ({ ok: true }), { pool });
      if (outcome.status === "succeeded") break;
      expect(performance.now() - killedAt).toBeLessThan(LEASE_MS + 10_000);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(performance.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - 500);
    const { rows } = await pool.query("SELECT status, error, finished_at FROM job_runs WHERE id = $1", [killedRunId]);
    expect(rows[0]).toMatchObject({ status: "failed" });
    expect(rows[0].error).toMatch(/lease/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  }, 60_000);

  it("a lease is renewed while its job runs, however long that takes", async () => {
    const started = performance.now();
    const long = runJob(
      "aggregate",
      "test",
      async () => {
        await new Promise((r) => setTimeout(r, LEASE_MS * 2.5));
        return {};
      },
      { pool, leaseMs: LEASE_MS },
    );
    // Well past the first expiry: still held.
    await new Promise((r) => setTimeout(r, LEASE_MS * 1.7));
    expect((await runJob("aggregate", "test", async () => ({}), { pool })).status).toBe("skipped");
    expect((await long).status).toBe("succeeded");
    expect(performance.now() - started).toBeGreaterThanOrEqual(LEASE_MS * 2.5);
  }, 30_000);
});
