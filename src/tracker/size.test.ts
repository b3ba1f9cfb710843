// The tracker's budget: under 5 KB gzipped on its own (npm run size:tracker prints the figure).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("tracker bundle", () => {
  it("is framework-free and under 5 KB gzipped", async () => {
    const out = await build({
      entryPoints: ["src/tracker/index.ts"],
      bundle: true,
      minify: true,
      format: "esm",
      target: "es2020",
      platform: "browser",
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.every((p) => p.startsWith("src/tracker/"))).toBe(true);
    expect(inputs.some((p) => p.endsWith(".test.ts") || p.endsWith("testUtils.ts"))).toBe(false);
    const gz = gzipSync(out.outputFiles[0]!.contents, { level: 9 }).length;
    expect(gz).toBeLessThan(5 * 1024);
  });
});
