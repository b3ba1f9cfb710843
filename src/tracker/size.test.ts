// The tracker's budget: under 5 KB gzipped on its own (npm run size:tracker prints the figure).
import { describe, expect, it } from "vitest";
import { measureTracker, TRACKER_GZIP_LIMIT } from "../../scripts/trackerSize";

describe("tracker bundle", () => {
  it("is framework-free and under 5 KB gzipped", async () => {
    const { inputs, gzipped } = await measureTracker();
    // Its own code and the dependency-free contract, nothing else.
    expect(inputs.filter((p) => !p.startsWith("src/tracker/") && !p.startsWith("src/contract/"))).toEqual([]);
    expect(inputs.some((p) => p.endsWith(".test.ts") || p.endsWith(".testkit.ts"))).toBe(false);
    expect(gzipped).toBeLessThan(TRACKER_GZIP_LIMIT);
  });
});
