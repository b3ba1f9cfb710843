// npm run size:tracker — prints the tracker's gzipped size and fails over its 5 KB budget.
import { measureTracker, TRACKER_GZIP_LIMIT } from "./trackerSize";

const { minified, gzipped } = await measureTracker();
console.log(`tracker: ${minified} bytes minified, ${gzipped} bytes gzipped (limit ${TRACKER_GZIP_LIMIT})`);
if (gzipped >= TRACKER_GZIP_LIMIT) {
  console.error("tracker is over its 5 KB gzipped budget");
  process.exit(1);
}
