// The demo's simulated audience: an hour of it played at once sends only batches the real
// ingestion schema accepts, each viewer's seq growing by one, viewers coming and going around
// the audience's size, heartbeats every 15 s while watching.
import { describe, expect, it } from "vitest";
import { parseBatch } from "~/ingest/schema";
import { seededRandom } from "~/lib/random";
import { createAudience } from "./audience";

describe("the demo's simulated audience", () => {
  it("sends valid batches, viewers come and go, and the count drifts around its size", () => {
    const audience = createAudience({ streamId: "demo-live-bunny", size: 14, random: seededRandom(7) });
    const t0 = 1_796_000_000_000;
    const seqs = new Map<string, number[]>();
    const watching: number[] = [];
    const heartbeats = new Map<string, number[]>();
    for (let s = 0; s < 3600; s++) {
      const now = t0 + s * 1000;
      for (const { batch, userAgent } of audience.tick(now)) {
        const parsed = parseBatch(JSON.stringify(batch));
        expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
        expect(userAgent).toMatch(/^Mozilla\/5\.0/);
        for (const e of batch.events) {
          seqs.set(batch.clientId, [...(seqs.get(batch.clientId) ?? []), e.seq]);
          expect(e.ts).toBeLessThanOrEqual(batch.sentAt);
          if (e.type === "heartbeat") heartbeats.set(batch.clientId, [...(heartbeats.get(batch.clientId) ?? []), e.ts]);
        }
      }
      watching.push(audience.watching());
    }
    for (const list of seqs.values()) expect(list).toEqual(list.map((_, i) => i + 1));
    for (const ts of heartbeats.values()) for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(15_000);
    // Far more viewers over the hour than at once: they come and go.
    expect(seqs.size).toBeGreaterThan(3 * Math.max(...watching));
    const settled = watching.slice(300);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...settled)).toBeLessThanOrEqual(25);
    expect(Math.max(...settled) - Math.min(...settled)).toBeGreaterThanOrEqual(5);
  });
});
