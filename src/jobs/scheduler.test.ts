// The in-process scheduler: AGGREGATE_EVERY's periods, and two schedulers on one database (two
// `npm start` replicas, or `npm start` next to `npm run worker`) running each tick once, on
// PostgreSQL and on the embedded database.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "~/lib/db/embedded";
import { migrate } from "~/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "~/test/testDatabase";
import { startWorker } from "~/worker/worker";
import { runJob } from "./runner";
import { AGGREGATE_PATH, claimTick, everyToCron, markSchedulerStarted, periodMs, scheduledCrons, schedulerStatus } from "./scheduler";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("AGGREGATE_EVERY", () => {
  it("turns a period into a schedule in step with the clock, and refuses what would tick unevenly", () => {
    expect(everyToCron("20s")).toBe("*/20 * * * * *");
    expect(everyToCron("5m")).toBe("0 */5 * * * *");
    expect(everyToCron("2h")).toBe("0 0 */2 * * *");
    expect(periodMs(everyToCron("15s"))).toBe(15_000);
    expect(periodMs("*/5 * * * *")).toBe(300_000);
    expect(() => everyToCron("7m")).toThrow(/must divide 60/);
    expect(() => everyToCron("5 minutes")).toThrow(/not a period/);
    expect(() => everyToCron("0s")).toThrow(/not a period/);
  });

  it("replaces only the aggregation's schedule", () => {
    const crons = [
      { path: AGGREGATE_PATH, schedule: "*/5 * * * *" },
      { path: "/api/cron/retention", schedule: "47 3 * * *" },
    ];
    expect(scheduledCrons(crons, {})).toEqual(crons);
    expect(scheduledCrons(crons, { aggregateEvery: "30s" })).toEqual([
      { path: AGGREGATE_PATH, schedule: "*/30 * * * * *" },
      { path: "/api/cron/retention", schedule: "47 3 * * *" },
    ]);
  });
});

const databases: { name: string; setUp(): Promise<string>; tearDown(): Promise<void> }[] = [];
{
  let server: TestDatabase | undefined;
  let embedded: EmbeddedDatabase | undefined;
  databases.push({
    name: "PostgreSQL",
    async setUp() {
      server = await createTestDatabase("streamscope_scheduler");
      return server.url;
    },
    tearDown: async () => server?.drop(),
  });
  databases.push({
    name: "the embedded database",
    async setUp() {
      embedded = await startEmbeddedDatabase({ dataDir: "memory://", port: 0 });
      await migrate(embedded.url);
      return embedded.url;
    },
    tearDown: async () => embedded?.stop(),
  });
}

describe.each(databases)("two schedulers on $name", (database) => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await database.setUp(), max: 4 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await database.tearDown();
  });

  it("the admin pages' notice: stale with no sign of a scheduler, fresh once one starts, stale again two periods later", async () => {
    const every5 = "*/5 * * * *";
    expect((await schedulerStatus(every5, new Date(), pool)).stale).toBe(true);
    await markSchedulerStarted(pool, "a");
    const fresh = await schedulerStatus(every5, new Date(), pool);
    expect(fresh.stale).toBe(false);
    expect(fresh.staleAfterMs).toBe(11 * 60_000);
    expect((await schedulerStatus(every5, new Date(Date.now() + 12 * 60_000), pool)).stale).toBe(true);
  });

  it("a tick is claimed once, and never again", async () => {
    const tick = new Date("2026-12-02T12:00:00Z");
    const claims = await Promise.all(["a", "b", "c"].map((h) => claimTick(pool, "/api/cron/x", tick, h)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimTick(pool, "/api/cron/x", tick, "d")).toBe(false);
    expect(await claimTick(pool, "/api/cron/x", new Date("2026-12-02T11:55:00Z"), "e")).toBe(false);
    expect(await claimTick(pool, "/api/cron/x", new Date("2026-12-02T12:05:00Z"), "f")).toBe(true);
  });

  it("run every tick once between them: one job run per tick, none skipped or doubled", async () => {
    const ticks: string[] = [];
    const letGo: string[] = [];
    const schedulers = ["one", "two"].map((holder) =>
      startWorker({
        // Every second (6 fields, seconds first).
        crons: [{ path: "/api/cron/partitions", schedule: "* * * * * *" }],
        jobs: {
          "/api/cron/partitions": (trigger) => runJob("partitions", trigger, async () => ({ holder }), { pool }),
        },
        trigger: "scheduler",
        log: quiet,
        claim: async (path, tick) => {
          const won = await claimTick(pool, path, tick, holder);
          if (won) ticks.push(tick.toISOString());
          return won;
        },
        onLetGo: (_path, tick) => letGo.push(tick.toISOString()),
      }),
    );
    await expect.poll(() => ticks.length, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    await Promise.all(schedulers.map((s) => s.stop()));

    const { rows } = await pool.query<{ status: string; trigger: string }>("SELECT status, trigger FROM job_runs WHERE name = 'partitions'");
    // One run per claimed tick, each succeeded: the other scheduler let its tick go instead of
    // recording a skipped run or running it a second time.
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(rows).toHaveLength(ticks.length);
    expect(rows.every((r) => r.status === "succeeded" && r.trigger === "scheduler")).toBe(true);
    // Both fired on the claimed ticks: every tick the other one ran, this one let go.
    expect(letGo.filter((t) => ticks.includes(t)).length).toBeGreaterThanOrEqual(ticks.length - 1);
  }, 30_000);
});
