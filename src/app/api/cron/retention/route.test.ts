import { afterEach, describe, expect, it, vi } from "vitest";

// The jobs themselves are tested in src/retention and src/partitions; here, the routes' auth and wiring.
vi.mock("~/retention/job", () => ({
  runRetention: vi.fn(async (trigger: string, opts: { dryRun?: boolean }) => ({
    runId: "00000000-0000-0000-0000-000000000002",
    name: "retention",
    status: "succeeded",
    figures: { dryRun: !!opts.dryRun, removedRows: opts.dryRun ? 0 : 12, trigger },
    durationMs: 3.2,
  })),
}));
vi.mock("~/partitions/job", () => ({
  runPartitions: vi.fn(async (trigger: string) => ({
    runId: "00000000-0000-0000-0000-000000000003",
    name: "partitions",
    status: "failed",
    figures: {},
    error: "lock timeout",
    durationMs: 30_000,
    trigger,
  })),
}));

const retention = await import("./route");
const partitions = await import("../partitions/route");
const { runRetention } = await import("~/retention/job");

const saved = process.env.CRON_SECRET;
afterEach(() => {
  if (saved === undefined) delete process.env.CRON_SECRET;
  else process.env.CRON_SECRET = saved;
  vi.mocked(runRetention).mockClear();
});
const auth = { authorization: "Bearer cron-secret-xyz" };

describe("GET /api/cron/retention and /api/cron/partitions", () => {
  it("are off (503) without CRON_SECRET and refuse (401) a wrong secret, running nothing", async () => {
    delete process.env.CRON_SECRET;
    expect((await retention.GET(new Request("http://x/api/cron/retention", { headers: auth }))).status).toBe(503);
    process.env.CRON_SECRET = "cron-secret-xyz";
    expect((await retention.GET(new Request("http://x/api/cron/retention", { headers: { authorization: "Bearer nope" } }))).status).toBe(401);
    expect((await partitions.GET(new Request("http://x/api/cron/partitions"))).status).toBe(401);
    expect(runRetention).not.toHaveBeenCalled();
  });

  it("run the job with the cron trigger; ?dryRun=1 asks retention for a dry run; a failed run answers 500", async () => {
    process.env.CRON_SECRET = "cron-secret-xyz";
    const real = await retention.GET(new Request("http://x/api/cron/retention", { headers: auth }));
    expect(real.status).toBe(200);
    expect(await real.json()).toMatchObject({ job: "retention", status: "succeeded", figures: { dryRun: false, removedRows: 12, trigger: "cron" } });
    const dry = await retention.GET(new Request("http://x/api/cron/retention?dryRun=1", { headers: auth }));
    expect(await dry.json()).toMatchObject({ figures: { dryRun: true, removedRows: 0 } });
    expect(vi.mocked(runRetention).mock.calls.map((c) => c[1])).toEqual([{ dryRun: false }, { dryRun: true }]);
    const failed = await partitions.GET(new Request("http://x/api/cron/partitions", { headers: auth }));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ job: "partitions", status: "failed", error: "lock timeout" });
  });
});
