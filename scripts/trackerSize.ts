// The browser tracker alone (src/tracker, without hls.js or react-youtube), bundled and minified
// as a browser would get it. Used by `npm run size:tracker` and by src/tracker/size.test.ts.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const TRACKER_GZIP_LIMIT = 5 * 1024;

export async function measureTracker(): Promise<{ minified: number; gzipped: number; inputs: string[] }> {
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
  const code = out.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, inputs: Object.keys(out.metafile.inputs) };
}
