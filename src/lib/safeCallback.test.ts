import { describe, expect, it } from "vitest";
import { pathWithQuery, safeCallbackPath } from "./safeCallback";

const BASE = "http://app.streamscope.test";

/** Where a browser would go from our origin if it were sent to `path` (WHATWG URL parsing). */
const lands = (path: string) => new URL(path, BASE).origin;

// Open-redirect payloads seen in the wild, as the login page receives them (already decoded once
// from ?callbackUrl=…) and in their raw (still percent-encoded) forms.
const BYPASSES = [
  // absolute and scheme URLs
  "https://evil.example/",
  "http://evil.example",
  "HTTPS://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  // protocol-relative, with and without backslashes
  "//evil.example",
  "///evil.example",
  "////evil.example/",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  // tabs, newlines and other characters a browser strips or ignores while parsing
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/\u0000/evil.example",
  "/\u000b/evil.example",
  "/\u000c/evil.example",
  // percent-encoded forms (a later decode must not turn them into any of the above)
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0D%0A/evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5C/evil.example",
  "/%5c%5cevil.example",
  "%2F%2Fevil.example",
  "/%252F%252Fevil.example",
  // credentials and odd authorities
  "//user:pass@evil.example",
  "http:/\\/evil.example",
  "https:evil.example",
  // junk
  "",
  "/%",
  "/%E0%A4%A",
];

describe("safeCallbackPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeCallbackPath("/admin/analytics/streams?from=2025-01-01")).toBe("/admin/analytics/streams?from=2025-01-01");
    expect(safeCallbackPath("/admin/analytics/streams/demo-1#top")).toBe("/admin/analytics/streams/demo-1#top");
    expect(safeCallbackPath("/admin/analytics/streams?q=Caf%C3%A9%20live")).toBe("/admin/analytics/streams?q=Caf%C3%A9%20live");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("refuses other origins and junk", () => {
    for (const v of ["https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)", "", undefined, ["/admin"]]) {
      expect(safeCallbackPath(v)).toBe("/admin");
    }
  });

  it.each(BYPASSES)("refuses the bypass %j", (payload) => {
    expect(safeCallbackPath(payload)).toBe("/admin");
  });

  it("refuses every bypass after the query string's own decoding too (?callbackUrl=…)", () => {
    for (const payload of BYPASSES) {
      const received = new URLSearchParams(`callbackUrl=${payload}`).get("callbackUrl");
      expect(safeCallbackPath(received), JSON.stringify(payload)).toBe("/admin");
    }
  });

  it("whatever it returns stays on our origin, decoded once or twice", () => {
    for (const payload of [...BYPASSES, "/admin", "/admin?x=%2F%2Fevil.example"]) {
      const out = safeCallbackPath(payload);
      expect(lands(out)).toBe(BASE);
      expect(lands(decodeURIComponent(out))).toBe(BASE);
    }
  });
});

describe("pathWithQuery", () => {
  it("keeps every parameter", () => {
    expect(pathWithQuery("/a", { from: "2025-01-01", org: ["x", "y"], none: undefined })).toBe("/a?from=2025-01-01&org=x&org=y");
    expect(pathWithQuery("/a", {})).toBe("/a");
  });
});
