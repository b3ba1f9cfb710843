// Integration: 429 with Retry-After through both doors (the process-wide limiter from the env).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStream, uid } from "~/test/factories";
import { fastDoor, nextDoor, type TestDoor } from "./doors.testkit";

process.env.RATE_LIMIT_PER_MINUTE = "3";
process.env.TRUST_PROXY = "1";
delete process.env.REDIS_URL;

const doors: TestDoor[] = [];
beforeAll(async () => {
  doors.push(await nextDoor(), await fastDoor());
});
afterAll(async () => {
  for (const d of doors) await d.close();
});

describe("rate limit through both doors", () => {
  it.each([0, 1])("door %# answers 429 with Retry-After after RATE_LIMIT_PER_MINUTE batches", async (i) => {
    const door = doors[i]!;
    const stream = await createStream();
    const clientId = uid("client");
    const ip = `203.0.113.${10 + i}`;
    const statuses: number[] = [];
    let last;
    for (let seq = 1; seq <= 4; seq++) {
      last = await door.send({
        body: JSON.stringify({ streamId: stream.id, clientId, sentAt: Date.now(), events: [{ type: "play", ts: Date.now(), videoTime: 0, seq }] }),
        headers: { "x-forwarded-for": ip, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" },
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(last!.json).toEqual({ error: "too many batches from this address" });
  });
});
