// npm run size:tracker — the browser tracker alone (src/tracker, without hls.js or react-youtube),
// bundled and minified as a browser would get it; prints its gzipped size and fails over 5 KB.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const LIMIT = 5 * 1024;
const out = await build({
  entryPoints: ["src/tracker/index.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  platform: "browser",
  write: false,
});
const code = out.outputFiles[0].contents;
const gz = gzipSync(code, { level: 9 }).length;
console.log(`tracker: ${code.length} bytes minified, ${gz} bytes gzipped (limit ${LIMIT})`);
if (gz >= LIMIT) {
  console.error("tracker is over its 5 KB gzipped budget");
  process.exit(1);
}
