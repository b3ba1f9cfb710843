// npm test's dependency audit: `npm audit --omit=dev` (what ships, not the tools), failing on any
// high or critical advisory that audit-allowlist.json does not list with a reason and a date it
// expires. When the registry's audit endpoint cannot be asked (offline, a proxy refusing it), the
// step says so loudly, records it for the closing summary, and does not pretend to have passed:
// with AUDIT_REQUIRED=1 that is a failure too.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FAILING = new Set(["high", "critical"]);

/** The advisory's GHSA id (from its URL), else its npm source number, as a string. */
export function advisoryId(via) {
  const ghsa = /GHSA-[\w-]+/i.exec(via.url ?? "")?.[0];
  return ghsa ? ghsa.toUpperCase() : String(via.source ?? via.url ?? via.title);
}

/**
 * What an `npm audit --json` output means under an allowlist on `today` (YYYY-MM-DD):
 * { status: "passed" | "failed" | "not-run", failing, allowed, expired, counts, reason }.
 */
export function judge(report, allowlist, today) {
  if (!report || typeof report !== "object" || !report.vulnerabilities || !report.metadata) {
    const why = report?.message || report?.error?.summary || report?.error?.code || "no audit report";
    return { status: "not-run", reason: String(why).trim(), failing: [], allowed: [], expired: [], counts: null };
  }
  const entries = new Map((allowlist?.allow ?? []).map((a) => [String(a.id).toUpperCase(), a]));
  const seen = new Map();
  for (const vuln of Object.values(report.vulnerabilities)) {
    for (const via of vuln.via ?? []) {
      if (typeof via !== "object" || !FAILING.has(via.severity)) continue;
      const id = advisoryId(via);
      if (!seen.has(id)) seen.set(id, { id, package: via.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  const failing = [];
  const allowed = [];
  const expired = [];
  for (const adv of seen.values()) {
    const entry = entries.get(adv.id);
    if (entry && entry.expires >= today) allowed.push({ ...adv, reason: entry.reason, expires: entry.expires });
    else if (entry) expired.push({ ...adv, reason: entry.reason, expires: entry.expires });
    else failing.push(adv);
  }
  const bad = [...failing, ...expired];
  return { status: bad.length ? "failed" : "passed", failing, allowed, expired, counts: report.metadata.vulnerabilities, reason: null };
}

function runNpmAudit(cwd) {
  return new Promise((resolve) => {
    execFile("npm", ["audit", "--omit=dev", "--json"], { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // npm audit exits non-zero when it finds something; the JSON says what.
      try {
        resolve(JSON.parse(stdout));
      } catch {
        resolve({ message: (stderr || err?.message || "npm audit printed no report").split("\n").filter(Boolean).slice(-3).join(" / ") });
      }
    });
  });
}

async function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const allowlist = JSON.parse(fs.readFileSync(path.join(root, "audit-allowlist.json"), "utf8"));
  const today = new Date().toISOString().slice(0, 10);
  const verdict = judge(await runNpmAudit(root), allowlist, today);
  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  fs.writeFileSync(path.join(root, "test-results/audit.json"), JSON.stringify({ ...verdict, at: new Date().toISOString() }, null, 2));

  if (verdict.status === "not-run") {
    const line = "!".repeat(100);
    console.log(`${line}\n!! DEPENDENCY AUDIT NOT RUN: the npm registry's audit endpoint could not be asked.\n!! ${verdict.reason}\n!! Nothing is known about advisories for this dependency tree. Run \`node scripts/audit.mjs\` where the registry's audit endpoint answers.\n${line}`);
    process.exit(process.env.AUDIT_REQUIRED === "1" ? 1 : 0);
  }
  const c = verdict.counts;
  console.log(`npm audit --omit=dev: ${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low`);
  for (const a of verdict.allowed) console.log(`  allowed until ${a.expires}: ${a.id} ${a.package} (${a.severity}): ${a.reason}`);
  for (const a of verdict.expired) console.log(`  ALLOWLIST ENTRY EXPIRED ${a.expires}: ${a.id} ${a.package} (${a.severity}) ${a.title}`);
  for (const a of verdict.failing) console.log(`  FAILING: ${a.id} ${a.package} (${a.severity}) ${a.title} ${a.url ?? ""}`);
  if (verdict.status === "failed") {
    console.log("Fix it (npm update / a newer version), or add it to audit-allowlist.json with a reason and an expiry date.");
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
