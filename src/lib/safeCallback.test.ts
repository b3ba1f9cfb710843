import { describe, expect, it } from "vitest";
import { pathWithQuery, safeCallbackPath } from "./safeCallback";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackPath("/admin/analytics/streams?from=2025-01-01")).toBe("/admin/analytics/streams?from=2025-01-01");
  });
  it("refuses other origins and junk", () => {
    for (const v of ["https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)", "", undefined, ["/admin"]]) {
      expect(safeCallbackPath(v)).toBe("/admin");
    }
  });
});

describe("pathWithQuery", () => {
  it("keeps every parameter", () => {
    expect(pathWithQuery("/a", { from: "2025-01-01", org: ["x", "y"], none: undefined })).toBe("/a?from=2025-01-01&org=x&org=y");
    expect(pathWithQuery("/a", {})).toBe("/a");
  });
});
