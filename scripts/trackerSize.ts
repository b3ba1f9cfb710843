// The tracker as a browser gets it: /streamscope.js with every adapter (video, Bunny's player.js
// iframe, YouTube's IFrame API), bundled and minified by scripts/buildTracker.mjs. Used by
// `npm run size:tracker` and by src/tracker/size.test.ts.
import { gzipSync } from "node:zlib";
import { buildTracker } from "./buildTracker.mjs";

export const TRACKER_GZIP_LIMIT = 5 * 1024;

export async function measureTracker(): Promise<{ minified: number; gzipped: number; inputs: string[]; esmGzipped: number }> {
  const { script, esm } = buildTracker({ write: false });
  return {
    minified: script.code.length,
    gzipped: gzipSync(script.code, { level: 9 }).length,
    inputs: [...new Set([...script.inputs, ...esm.inputs])],
    esmGzipped: gzipSync(esm.code, { level: 9 }).length,
  };
}
