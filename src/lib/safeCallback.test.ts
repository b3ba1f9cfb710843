import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safeCallback";

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
