// Prints one closing line over vitest and Playwright: "tests: N passed, N failed, N skipped", and
// fails the run when any test failed OR was skipped: ClickHouse, Redis and both databases are
// expected to be there, so no store's tests may silently drop out. The one escape is explicit:
// TEST_WITHOUT=clickhouse (or redis, or both, comma-separated) on a machine without that service
// lets the skipped tests of files that use it pass, and says so here.
import fs from "node:fs";
import path from "node:path";

const STORES = { clickhouse: /clickhouse/i, redis: /redis/i };
const without = (process.env.TEST_WITHOUT ?? "")
  .split(",")
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const unknown = without.filter((s) => !(s in STORES));
if (unknown.length) {
  console.error(`TEST_WITHOUT: unknown ${unknown.join(", ")} (known: ${Object.keys(STORES).join(", ")})`);
  process.exit(1);
}

let passed = 0, failed = 0;
/** Skipped tests as "file › name", and those TEST_WITHOUT excuses. */
const skipped = [];
const excused = new Map();
const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : null);

const v = read("test-results/vitest.json");
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  for (const file of v.testResults) {
    const rel = path.relative(process.cwd(), file.name);
    let text = null;
    for (const t of file.assertionResults) {
      if (t.status === "passed" || t.status === "failed") continue;
      // "skipped", "pending", "todo": not run.
      text ??= fs.existsSync(file.name) ? fs.readFileSync(file.name, "utf8") : "";
      const store = without.find((s) => STORES[s].test(text));
      const name = `${rel} › ${t.fullName}`;
      if (store) excused.set(store, (excused.get(store) ?? 0) + 1);
      else skipped.push(name);
    }
  }
}
const p = read("test-results/playwright.json");
if (p?.stats) {
  passed += p.stats.expected + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected;
  const names = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === "skipped") names.push(`${spec.file ?? suite.file} › ${spec.title}`);
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const s of p.suites ?? []) walk(s);
  // Every Playwright skip fails the run (no store excuses one); a skip the walk could not name still counts.
  for (let i = 0; i < Math.max(names.length, p.stats.skipped); i++) skipped.push(names[i] ?? "a Playwright test");
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
for (const [store, n] of excused) console.log(`NOT RUN on purpose (TEST_WITHOUT=${store}): ${n} ${store} test${n === 1 ? "" : "s"}`);
const notRun = skipped.length + [...excused.values()].reduce((a, b) => a + b, 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${notRun} skipped`);
if (skipped.length) {
  console.log(`\n${skipped.length} test${skipped.length === 1 ? " was" : "s were"} skipped, which fails the run (every store is expected here):`);
  for (const s of skipped.slice(0, 30)) console.log(`  - ${s}`);
  if (skipped.length > 30) console.log(`  … and ${skipped.length - 30} more`);
  console.log("On a machine without ClickHouse or Redis, say so: TEST_WITHOUT=clickhouse (or redis, or clickhouse,redis) npm test.");
}
process.exit(failed > 0 || skipped.length > 0 ? 1 : 0);
