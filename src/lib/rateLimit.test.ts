// Unit (in-memory) and integration (Redis at 127.0.0.1:6379, when it answers) tests of the limiter.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { hashAddress, limitSubject, memoryRateLimiter, redisRateLimiter } from "./rateLimit";

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

describe("limitSubject", () => {
  it("counts an IPv6 address for its /64, anything else for itself", () => {
    expect(limitSubject("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitSubject("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(limitSubject("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(limitSubject("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(limitSubject("203.0.113.7")).toBe("203.0.113.7");
    expect(limitSubject("someone@example.com")).toBe("someone@example.com");
  });
});

describe("memoryRateLimiter", () => {
  it("limits a whole IPv6 /64 together, and other /64s apart", async () => {
    const rl = memoryRateLimiter({ limit: 2, secret: "s" });
    expect((await rl.hit("2001:db8:1:2::1", T0)).allowed).toBe(true);
    expect((await rl.hit("2001:db8:1:2:9::2", T0)).allowed).toBe(true);
    expect((await rl.hit("2001:db8:1:2:ffff::3", T0)).allowed).toBe(false);
    expect((await rl.hit("2001:db8:1:3::1", T0)).allowed).toBe(true);
  });

  it("counts in windows of windowMs, and takes a hit back with undo", async () => {
    const rl = memoryRateLimiter({ limit: 2, secret: "s", windowMs: 15 * 60_000 });
    expect((await rl.hit("x", T0)).allowed).toBe(true);
    await rl.undo("x", T0 + 1000);
    expect((await rl.hit("x", T0 + 2000)).allowed).toBe(true);
    expect((await rl.hit("x", T0 + 3000)).allowed).toBe(true);
    const refused = await rl.hit("x", T0 + 4000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfter).toBe(15 * 60 - 4);
    // Still the same 15-minute window 10 minutes later.
    expect((await rl.hit("x", T0 + 10 * 60_000)).allowed).toBe(false);
    expect((await rl.hit("x", T0 + 15 * 60_000)).allowed).toBe(true);
  });

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

  it.skipIf(!up)("limits an IPv6 /64 together, takes a hit back with undo, and keeps named limiters apart", async () => {
    const secret = randomBytes(8).toString("hex");
    // Names of this run only: Redis keeps earlier runs' windows for 15 minutes.
    const a = redisRateLimiter({ limit: 2, secret, url: "redis://127.0.0.1:6379", name: `test-a-${secret}`, windowMs: 15 * 60_000 });
    const b = redisRateLimiter({ limit: 2, secret, url: "redis://127.0.0.1:6379", name: `test-b-${secret}`, windowMs: 15 * 60_000 });
    const now = Date.now();
    expect((await a.hit("2001:db8:7:7::1", now)).allowed).toBe(true);
    await a.undo("2001:db8:7:7::2", now);
    expect((await a.hit("2001:db8:7:7::3", now)).allowed).toBe(true);
    expect((await a.hit("2001:db8:7:7:8::4", now)).allowed).toBe(true);
    expect((await a.hit("2001:db8:7:7::5", now)).allowed).toBe(false);
    expect((await b.hit("2001:db8:7:7::1", now)).allowed).toBe(true);
    // undo never creates a key (it would have no expiry).
    await a.undo("2001:db8:9:9::1", now);
    const keys = await probe.keys(`streamscope:rl:test-a-${secret}:*`);
    expect(keys).toHaveLength(1);
    expect(await probe.pttl(keys[0]!)).toBeGreaterThan(14 * 60_000);
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
