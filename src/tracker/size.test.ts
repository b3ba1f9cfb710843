// The tracker's budget: /streamscope.js with every adapter under 5 KB gzipped (npm run
// size:tracker prints the figure), built from the tracker and the dependency-free contract only.
import { describe, expect, it } from "vitest";
import { measureTracker, TRACKER_GZIP_LIMIT } from "../../scripts/trackerSize";

describe("tracker bundle", () => {
  it("is framework-free and under 5 KB gzipped with every adapter", async () => {
    const { inputs, gzipped } = await measureTracker();
    // Its own code and the dependency-free contract, nothing else.
    expect(inputs.filter((p) => !p.startsWith("src/tracker/") && !p.startsWith("src/contract/"))).toEqual([]);
    expect(inputs.some((p) => p.endsWith(".test.ts") || p.endsWith(".testkit.ts"))).toBe(false);
    for (const adapter of ["video", "bunny", "youtube"]) expect(inputs).toContain(`src/tracker/adapters/${adapter}.ts`);
    expect(gzipped).toBeLessThan(TRACKER_GZIP_LIMIT);
  });
});
