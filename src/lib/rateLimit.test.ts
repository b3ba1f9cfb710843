// Unit (in-memory) and integration (Redis at 127.0.0.1:6379, when it answers) tests of the limiter.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { hashAddress, memoryRateLimiter, redisRateLimiter } from "./rateLimit";

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

describe("hashAddress", () => {
  it("is keyed, stable within a day, different the next day, and does not contain the address", () => {
    const a = hashAddress("secret", "203.0.113.7", T0);
    expect(hashAddress("secret", "203.0.113.7", T0 + 3_600_000)).toBe(a);
    expect(hashAddress("secret", "203.0.113.7", T0 + 24 * 3_600_000)).not.toBe(a);
    expect(hashAddress("other", "203.0.113.7", T0)).not.toBe(a);
    expect(a).not.toContain("203");
  });
});

describe("memoryRateLimiter", () => {
  it("allows `limit` per minute, then refuses with the seconds left in the window", async () => {
    const rl = memoryRateLimiter({ limit: 3, secret: "s" });
    const now = T0 + 15_000;
    const d = [];
    for (let i = 0; i < 4; i++) d.push(await rl.hit("a", now));
    expect(d.map((x) => x.allowed)).toEqual([true, true, true, false]);
    expect(d[3]!.retryAfter).toBe(45);
    expect((await rl.hit("b", now)).allowed).toBe(true);
    // Next window.
    expect((await rl.hit("a", T0 + 60_000)).allowed).toBe(true);
  });

  it("keeps at most maxKeys windows", async () => {
    const rl = memoryRateLimiter({ limit: 1, secret: "s", maxKeys: 10 });
    for (let i = 0; i < 50; i++) await rl.hit(`10.0.0.${i}`, T0);
    // The oldest were dropped, so their count restarted; the newest are still counted.
    expect((await rl.hit("10.0.0.0", T0)).allowed).toBe(true);
    expect((await rl.hit("10.0.0.49", T0)).allowed).toBe(false);
  });
});

describe("redisRateLimiter", async () => {
  const probe = new Redis("redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  probe.on("error", () => {});
  const up = await probe.connect().then(() => true, () => false);
  afterAll(() => probe.disconnect());

  it.skipIf(!up)("shares counts between instances through Redis", async () => {
    const secret = randomBytes(8).toString("hex");
    const a = redisRateLimiter({ limit: 2, secret, url: "redis://127.0.0.1:6379" });
    const b = redisRateLimiter({ limit: 2, secret, url: "redis://127.0.0.1:6379" });
    const now = Date.now();
    expect((await a.hit("198.51.100.1", now)).allowed).toBe(true);
    expect((await b.hit("198.51.100.1", now)).allowed).toBe(true);
    const third = await a.hit("198.51.100.1", now);
    expect(third.allowed).toBe(false);
    expect(third.retryAfter).toBeGreaterThan(0);
    // The raw address is not in any key.
    const keys = await probe.keys("streamscope:rl:*");
    expect(keys.some((k) => k.includes("198.51.100.1"))).toBe(false);
    await a.close();
    await b.close();
  });

  it("lets requests through when Redis is unreachable", async () => {
    const rl = redisRateLimiter({ limit: 1, secret: "s", url: "redis://127.0.0.1:1" });
    expect((await rl.hit("x")).allowed).toBe(true);
    expect((await rl.hit("x")).allowed).toBe(true);
    await rl.close();
  });
});
