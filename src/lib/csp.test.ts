// Unit: the pages' Content Security Policy (the browser's view of it: e2e/security.spec.ts).
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, parseOrigins, type CspOptions } from "./csp";

const base: CspOptions = { nonce: "abc123", pathname: "/", dev: false, https: false, playbackOrigins: [], apiOrigin: null, embedOrigins: ["*"] };
const directives = (o: Partial<CspOptions>) =>
  new Map(contentSecurityPolicy({ ...base, ...o }).split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("allows scripts by nonce only, never inline or eval in production", () => {
    const p = directives({});
    expect(p.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(p.get("object-src")).toEqual(["'none'"]);
    expect(p.get("base-uri")).toEqual(["'none'"]);
    expect(directives({ dev: true }).get("script-src")).toContain("'unsafe-eval'");
  });

  it("lets hls.js and the YouTube player work: blob: workers and media, Bunny's CDN, YouTube frames", () => {
    const p = directives({ playbackOrigins: ["https://cdn.example.com"], apiOrigin: "https://stats.example.com" });
    expect(p.get("worker-src")).toEqual(["'self'", "blob:"]);
    expect(p.get("media-src")).toEqual(["'self'", "blob:", "https://*.b-cdn.net", "https://cdn.example.com", "https://stats.example.com"]);
    expect(p.get("connect-src")).toEqual(["'self'", "https://*.b-cdn.net", "https://cdn.example.com", "https://stats.example.com"]);
    expect(p.get("frame-src")).toEqual(["https://www.youtube.com", "https://www.youtube-nocookie.com"]);
  });

  it("frame-ancestors: anyone (or EMBED_ORIGINS) for the stream page, no one for admin and login, this app elsewhere", () => {
    expect(directives({ pathname: "/streams/demo-1" }).get("frame-ancestors")).toEqual(["*"]);
    expect(directives({ pathname: "/streams/demo-1", embedOrigins: ["https://club.example"] }).get("frame-ancestors")).toEqual(["https://club.example"]);
    for (const pathname of ["/admin", "/admin/analytics/streams", "/login"]) expect(directives({ pathname }).get("frame-ancestors")).toEqual(["'none'"]);
    for (const pathname of ["/", "/privacy", "/administrator"]) expect(directives({ pathname }).get("frame-ancestors")).toEqual(["'self'"]);
  });

  it("upgrades insecure requests only when served over https", () => {
    expect(contentSecurityPolicy(base)).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ ...base, https: true })).toMatch(/; upgrade-insecure-requests$/);
  });
});

describe("parseOrigins", () => {
  it("reads origins and wildcards, and refuses anything else", () => {
    expect(parseOrigins(undefined)).toEqual([]);
    expect(parseOrigins("https://Club.Example, https://*.cdn.example:8443/  *")).toEqual(["https://club.example", "https://*.cdn.example:8443", "*"]);
    expect(() => parseOrigins("javascript:alert(1)")).toThrow(/not an origin/);
    expect(() => parseOrigins("https://a.example/path")).toThrow(/not an origin/);
    expect(() => parseOrigins("https://a.example; script-src *")).toThrow(/not an origin/);
  });
});
