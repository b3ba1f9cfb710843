// Prints one closing line over vitest and Playwright: "tests: N passed, N failed, N skipped".
import fs from "node:fs";

let passed = 0, failed = 0, skipped = 0;
const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : null);
const v = read("test-results/vitest.json");
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
const p = read("test-results/playwright.json");
if (p?.stats) {
  passed += p.stats.expected + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
}
// The dependency audit (scripts/audit.mjs) cannot always ask the registry: say so here too.
const audit = read("test-results/audit.json");
if (audit) {
  console.log(
    audit.status === "not-run"
      ? `dependency audit: NOT RUN (${audit.reason})`
      : `dependency audit: ${audit.status} (${audit.counts.critical} critical, ${audit.counts.high} high${audit.allowed.length ? `, ${audit.allowed.length} allowlisted` : ""})`,
  );
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
