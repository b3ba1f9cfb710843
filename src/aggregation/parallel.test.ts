import { describe, expect, it } from "vitest";
import { chunk, forEachParallel } from "./parallel";

describe("forEachParallel / chunk", () => {
  it("runs every item, never more than `concurrency` at once", async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachParallel([1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
  });

  it("rejects with the first error and starts nothing after it", async () => {
    const started: number[] = [];
    await expect(
      forEachParallel([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error("stream 2 failed");
      }),
    ).rejects.toThrow("stream 2 failed");
    expect(started).toEqual([1, 2]);
  });

  it("chunks evenly over the workers when there is enough, else by size", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    expect(chunk(items, 25_000, 2).map((c) => c.length)).toEqual([5000, 5000]);
    expect(chunk(items, 3000, 2).map((c) => c.length)).toEqual([3000, 3000, 3000, 1000]);
    expect(chunk(items.slice(0, 10), 25_000, 2).map((c) => c.length)).toEqual([10]);
  });
});
