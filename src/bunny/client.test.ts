import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BunnyApiError, BunnyClient, retryAfterMs } from "./client";
import { startFakeBunny, type FakeBunnyServer } from "./fakeBunny.testkit";
import { fakeDay } from "./answers.testkit";
import { sumByDay } from "./statistics";

let fake: FakeBunnyServer;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeBunny({ apiKey: "k-test", retryAfter: "7" });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  sleeps = [];
  fake.requests.length = 0;
});

function client(over: Partial<ConstructorParameters<typeof BunnyClient>[0]> = {}) {
  return new BunnyClient({
    apiKey: "k-test",
    apiUrl: fake.url,
    baseDelayMs: 100,
    maxRetries: 3,
    // Record the waits instead of waiting, so the tests are fast and can check the backoff.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
}

const DAY = { dateFrom: "2026-11-19T00:00:00Z", dateTo: "2026-11-19T23:59:59Z" };

describe("BunnyClient against the fake Bunny API", () => {
  it("sends the AccessKey header and the query, and parses the answer", async () => {
    const s = await client().getStatistics({ libraryId: "218441", videoGuid: "vid-normal", ...DAY, hourly: false });
    const want = fakeDay("vid-normal", "2026-11-19");
    expect(sumByDay(s.views)).toEqual({ "2026-11-19": want.views });
    expect(sumByDay(s.watchSeconds)).toEqual({ "2026-11-19": want.watchSeconds });
    expect(s.countryViews).toEqual(want.countryViews);
    expect(s.engagementScore).toBe(want.engagementScore);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      libraryId: "218441",
      videoGuid: "vid-normal",
      dateFrom: "2026-11-19T00:00:00Z",
      dateTo: "2026-11-19T23:59:59Z",
      hourly: "false",
      accessKey: "k-test",
      status: 200,
    });
    expect(sleeps).toEqual([]);
  });

  it("waits Retry-After on 429 and then succeeds", async () => {
    fake.setScenario("vid-429", "rate-limit-once");
    const s = await client().getStatistics({ libraryId: "1", videoGuid: "vid-429", ...DAY });
    expect(sumByDay(s.views)["2026-11-19"]).toBe(fakeDay("vid-429", "2026-11-19").views);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([7000]);
  });

  it("retries 5xx with doubling backoff, then gives up naming the video", async () => {
    fake.setScenario("vid-500", "server-error");
    const err = await client().getStatistics({ libraryId: "1", videoGuid: "vid-500", ...DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BunnyApiError);
    expect((err as BunnyApiError).kind).toBe("server");
    expect((err as BunnyApiError).attempts).toBe(4);
    expect((err as Error).message).toMatch(/answered 500 .*video vid-500 in library 1.*gave up after 4 attempts/);
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("recovers from a single 503", async () => {
    fake.setScenario("vid-503", "server-error-once");
    await client().getStatistics({ libraryId: "1", videoGuid: "vid-503", ...DAY });
    expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(sleeps).toEqual([100]);
  });

  it("fails at once on 401 naming the library", async () => {
    const err = await client({ apiKey: "wrong" }).getStatistics({ libraryId: "218441", videoGuid: "v", ...DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BunnyApiError);
    expect((err as BunnyApiError).kind).toBe("unauthorized");
    expect((err as Error).message).toMatch(/refused the API key for library 218441 \(401\).*BUNNY_API_KEY/);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("fails at once on 404 naming the video and library", async () => {
    fake.setScenario("vid-gone", "not-found");
    const err = await client().getStatistics({ libraryId: "77", videoGuid: "vid-gone", ...DAY }).catch((e: unknown) => e);
    expect((err as BunnyApiError).kind).toBe("not_found");
    expect((err as Error).message).toMatch(/does not know video vid-gone in library 77 \(404\)/);
    expect(fake.requests).toHaveLength(1);
  });

  it("does not retry malformed JSON and says so", async () => {
    fake.setScenario("vid-bad", "malformed");
    const err = await client().getStatistics({ libraryId: "1", videoGuid: "vid-bad", ...DAY }).catch((e: unknown) => e);
    expect((err as BunnyApiError).kind).toBe("malformed");
    expect((err as Error).message).toMatch(/not JSON/);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports JSON of the wrong shape with the field", async () => {
    fake.setScenario("vid-shape", "wrong-shape");
    const err = await client().getStatistics({ libraryId: "1", videoGuid: "vid-shape", ...DAY }).catch((e: unknown) => e);
    expect((err as BunnyApiError).kind).toBe("malformed");
    expect((err as Error).message).toMatch(/viewsChart\.yesterday/);
  });

  it("times out a silent server and retries", async () => {
    const http = await import("node:http");
    const silent = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await client({ apiUrl: `http://127.0.0.1:${port}`, timeoutMs: 150, maxRetries: 1 })
        .getStatistics({ libraryId: "1", videoGuid: "v", ...DAY })
        .catch((e: unknown) => e);
      expect((err as BunnyApiError).kind).toBe("timeout");
      expect((err as Error).message).toMatch(/timed out after 150 ms.*gave up after 2 attempts/);
      expect(sleeps).toEqual([100]);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("reports an unreachable host as a network error", async () => {
    const err = await client({ apiUrl: "http://127.0.0.1:1", maxRetries: 0 })
      .getStatistics({ libraryId: "1", videoGuid: "v", ...DAY })
      .catch((e: unknown) => e);
    expect((err as BunnyApiError).kind).toBe("network");
    expect((err as Error).message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  it("caps a long Retry-After at maxDelayMs", async () => {
    fake.setScenario("vid-429b", "rate-limit-once");
    await client({ maxDelayMs: 2000 }).getStatistics({ libraryId: "1", videoGuid: "vid-429b", ...DAY });
    expect(sleeps).toEqual([2000]);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs("0.5")).toBe(500);
    const now = Date.parse("2026-11-24T10:00:00Z");
    expect(retryAfterMs("Tue, 24 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});
