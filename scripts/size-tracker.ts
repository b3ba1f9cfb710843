// npm run size:tracker — prints the gzipped size of /streamscope.js (every adapter) and of the ES
// module, and fails when the script is over its 5 KB budget.
import { measureTracker, TRACKER_GZIP_LIMIT } from "./trackerSize";

const { minified, gzipped, esmGzipped } = await measureTracker();
console.log(`streamscope.js: ${minified} bytes minified, ${gzipped} bytes gzipped (limit ${TRACKER_GZIP_LIMIT}); streamscope.mjs: ${esmGzipped} bytes gzipped`);
if (gzipped >= TRACKER_GZIP_LIMIT) {
  console.error("streamscope.js is over its 5 KB gzipped budget");
  process.exit(1);
}
