import { afterEach, describe, expect, it, vi } from "vitest";

// The job itself is tested in src/aggregation/job.test.ts (the only file that runs it, so runs
// never contend for its lock); here, the route's auth and wiring.
vi.mock("~/aggregation/job", () => ({
  runAggregation: vi.fn(async (trigger: string) => ({
    runId: "00000000-0000-0000-0000-000000000001",
    name: "aggregate",
    status: "succeeded",
    figures: { streams: 3, sessions: 12, events: 345, trigger },
    durationMs: 12.4,
  })),
}));

const { GET } = await import("./route");
const { runAggregation } = await import("~/aggregation/job");

const url = "http://localhost/api/cron/aggregate";
const saved = process.env.CRON_SECRET;
afterEach(() => {
  if (saved === undefined) delete process.env.CRON_SECRET;
  else process.env.CRON_SECRET = saved;
  vi.mocked(runAggregation).mockClear();
});

describe("GET /api/cron/aggregate", () => {
  it("is off (503) while CRON_SECRET is unset", async () => {
    delete process.env.CRON_SECRET;
    const res = await GET(new Request(url, { headers: { authorization: "Bearer anything" } }));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/CRON_SECRET/);
    expect(runAggregation).not.toHaveBeenCalled();
  });

  it("401 without or with a wrong bearer token, and the job does not run", async () => {
    process.env.CRON_SECRET = "s3cret-for-tests-only";
    expect((await GET(new Request(url))).status).toBe(401);
    expect((await GET(new Request(url, { headers: { authorization: "Bearer wrong" } }))).status).toBe(401);
    expect((await GET(new Request(url, { headers: { authorization: "s3cret-for-tests-only" } }))).status).toBe(401);
    expect(runAggregation).not.toHaveBeenCalled();
  });

  it("200 with the secret: runs the job as a cron run and answers its outcome", async () => {
    process.env.CRON_SECRET = "s3cret-for-tests-only";
    const res = await GET(new Request(url, { headers: { authorization: "Bearer s3cret-for-tests-only" } }));
    expect(res.status).toBe(200);
    expect(runAggregation).toHaveBeenCalledWith("cron");
    expect(await res.json()).toMatchObject({ job: "aggregate", status: "succeeded", figures: { streams: 3, sessions: 12, events: 345 }, durationMs: 12 });
  });
});
