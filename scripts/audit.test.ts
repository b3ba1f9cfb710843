// Unit: how npm test reads `npm audit --omit=dev --json` (scripts/audit.mjs).
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script without type declarations
import { judge } from "./audit.mjs";

const advisory = (name: string, severity: string, ghsa: string) => ({
  source: 1100000 + name.length,
  name,
  dependency: name,
  title: `${name} does something bad`,
  url: `https://github.com/advisories/${ghsa}`,
  severity,
  range: "<9.9.9",
});
const report = (vias: ReturnType<typeof advisory>[]) => ({
  auditReportVersion: 2,
  vulnerabilities: Object.fromEntries(
    vias.map((v) => [v.name, { name: v.name, severity: v.severity, via: [v], effects: [], range: v.range, nodes: [], fixAvailable: true }]),
  ),
  metadata: {
    vulnerabilities: {
      info: 0,
      low: vias.filter((v) => v.severity === "low").length,
      moderate: vias.filter((v) => v.severity === "moderate").length,
      high: vias.filter((v) => v.severity === "high").length,
      critical: vias.filter((v) => v.severity === "critical").length,
      total: vias.length,
    },
  },
});
const TODAY = "2026-12-02";
const none = { allow: [] };

describe("judge", () => {
  it("passes a clean tree and one with only low or moderate advisories", () => {
    expect(judge(report([]), none, TODAY).status).toBe("passed");
    expect(judge(report([advisory("left-pad", "moderate", "GHSA-aaaa-bbbb-cccc")]), none, TODAY).status).toBe("passed");
  });

  it("fails on a high or critical advisory, naming it", () => {
    const v = judge(report([advisory("tar", "high", "GHSA-1111-2222-3333"), advisory("ws", "critical", "GHSA-4444-5555-6666")]), none, TODAY);
    expect(v.status).toBe("failed");
    expect(v.failing.map((a: { id: string }) => a.id).sort()).toEqual(["GHSA-1111-2222-3333", "GHSA-4444-5555-6666"]);
  });

  it("lets an allowlisted advisory through until its entry expires", () => {
    const r = report([advisory("tar", "high", "GHSA-1111-2222-3333")]);
    const allow = { allow: [{ id: "ghsa-1111-2222-3333", package: "tar", reason: "only used at build time", expires: "2026-12-31" }] };
    const ok = judge(r, allow, TODAY);
    expect(ok.status).toBe("passed");
    expect(ok.allowed[0]).toMatchObject({ id: "GHSA-1111-2222-3333", reason: "only used at build time" });
    const late = judge(r, allow, "2027-01-01");
    expect(late.status).toBe("failed");
    expect(late.expired).toHaveLength(1);
  });

  it("says the audit did not run when the registry's endpoint could not be asked (never a silent pass)", () => {
    const refused = {
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      error: { summary: "", detail: "" },
    };
    const v = judge(refused, none, TODAY);
    expect(v.status).toBe("not-run");
    expect(v.reason).toMatch(/405 Method Not Allowed/);
    expect(judge(null, none, TODAY).status).toBe("not-run");
  });
});
