import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBunny, type FakeBunnyServer } from "~/bunny/fakeBunny.testkit";
import { fakeDay } from "~/bunny/answers.testkit";
import { createCaller } from "~/server/api/root";
import { createStream } from "~/test/factories";

let fake: FakeBunnyServer;
const saved = { ...process.env };
const asAdmin = createCaller({ session: { user: { id: "u-admin", role: "admin" }, expires: "2099-01-01T00:00:00.000Z" } });
const asUser = createCaller({ session: { user: { id: "u-user", role: "user" }, expires: "2099-01-01T00:00:00.000Z" } });
const anonymous = createCaller({ session: null });

beforeAll(async () => {
  fake = await startFakeBunny({ apiKey: "router-key" });
  process.env.BUNNY_API_URL = fake.url;
  process.env.BUNNY_API_KEY = "router-key";
  delete process.env.BUNNY_WATCH_TIME_UNIT;
});
afterAll(async () => {
  process.env = { ...saved };
  await fake.close();
});

/** Other test files may run bunny-sync at the same time; the job lets one run at a time. */
async function syncInTurn(streamId: string) {
  for (let i = 0; i < 300; i++) {
    try {
      return await asAdmin.bunny.sync({ streamId });
    } catch (err) {
      if (!(err instanceof Error) || !/already running/.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("bunny-sync stayed busy");
}

describe("tRPC bunny", () => {
  it("admin sync fetches the last 30 days of the stream; forStream shows them", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    const guid = s.provider!.bunnyVideoGuid!;
    const res = await syncInTurn(s.id);
    expect(res).toMatchObject({ status: "succeeded", synced: 1, days: 30, failures: [], error: null });

    const r = await asAdmin.bunny.forStream({ streamId: s.id });
    expect(r.isBunny).toBe(true);
    expect(r.days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(r.days.at(-1)).toMatchObject({ day: today, bunnyViews: fakeDay(guid, today).views });
    expect(r.lastRun).toMatchObject({ status: "succeeded" });
    expect(r.lastRun!.at).toBeInstanceOf(Date); // superjson keeps Dates
  });

  it("reports a stream whose Bunny call fails without throwing", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    // 401: not retried, so the test does not wait through the client's real backoff.
    fake.setScenario(s.provider!.bunnyVideoGuid!, "unauthorized");
    const res = await syncInTurn(s.id);
    expect(res.status).toBe("failed");
    expect(res.error).toMatch(/refused the API key for library 12345 \(401\)/);
    const r = await asAdmin.bunny.forStream({ streamId: s.id });
    expect(r.lastRun).toMatchObject({ status: "failed" });
    expect(r.days).toEqual([]);
  });

  it("only admins may sync; signed-out users may not read", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    await expect(asUser.bunny.sync({ streamId: s.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(anonymous.bunny.forStream({ streamId: s.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(asUser.bunny.forStream({ streamId: s.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("only admins may read a stream's Bunny figures (issue 16): a signed-in user gets FORBIDDEN", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    await expect(asUser.bunny.forStream({ streamId: s.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(anonymous.bunny.sync({ streamId: s.id })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await asAdmin.bunny.forStream({ streamId: s.id })).isBunny).toBe(true);
  });

  it("refuses YouTube streams, unknown streams and bad input with clear errors", async () => {
    const y = await createStream({ provider: "youtube" });
    await expect(asAdmin.bunny.sync({ streamId: y.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/not played from Bunny/) });
    expect((await asAdmin.bunny.forStream({ streamId: y.id })).isBunny).toBe(false);
    await expect(asAdmin.bunny.forStream({ streamId: "nope-404" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asAdmin.bunny.forStream({ streamId: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers NOT_IMPLEMENTED (501) naming BUNNY_API_KEY when it is unset", async () => {
    const s = await createStream({ provider: "bunny_stream" });
    delete process.env.BUNNY_API_KEY;
    try {
      await expect(asAdmin.bunny.sync({ streamId: s.id })).rejects.toMatchObject({
        code: "NOT_IMPLEMENTED",
        message: expect.stringMatching(/set BUNNY_API_KEY/),
      });
      const r = await asAdmin.bunny.forStream({ streamId: s.id });
      expect(r.canSync).toBe(false);
      expect(r.syncBlockedReason).toMatch(/BUNNY_API_KEY/);
    } finally {
      process.env.BUNNY_API_KEY = "router-key";
    }
  });
});
