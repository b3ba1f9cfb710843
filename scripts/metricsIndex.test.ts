// docs/metrics.md ends with a figure index: figure → column → the code that computes it → its test.
// Each row must lead to its code in one step, so every file it names must exist and hold the symbol
// or test name it names: a rename or move that forgets the doc fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const doc = fs.readFileSync(path.join(root, "docs/metrics.md"), "utf8");
const index = doc.slice(doc.indexOf('<a id="figure-index"></a>'));
const rows = index.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| figure") && !l.startsWith("| ---"));

/** `path` → `symbol` and `path` → "test name", "other test" pairs of one table cell. */
function references(cell: string): { file: string; names: string[] }[] {
  const out: { file: string; names: string[] }[] = [];
  for (const part of cell.split(/;\s*/)) {
    const m = /`(src\/[^`]+|scripts\/[^`]+)`\s*→\s*(.*)$/.exec(part);
    if (!m) continue;
    const names = [...m[2]!.matchAll(/`([^`]+)`|"([^"]+)"/g)].map((x) => x[1] ?? x[2]!);
    // A code cell names one symbol (what follows in brackets is commentary); a test cell, test names.
    out.push({ file: m[1]!, names: m[2]!.startsWith("`") ? names.slice(0, 1) : names });
  }
  return out;
}

describe("docs/metrics.md figure index", () => {
  it("has rows", () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(rows.map((r) => [r.split("|")[1]!.trim(), r] as const))("%s: its files and names exist", (_figure, row) => {
    const cells = row.split("|").slice(3, 5);
    const refs = cells.flatMap(references);
    expect(refs.length).toBeGreaterThan(0);
    for (const { file, names } of refs) {
      const full = path.join(root, file);
      expect(fs.existsSync(full), `${file} exists`).toBe(true);
      const text = fs.readFileSync(full, "utf8");
      for (const name of names) {
        // A test name may hold a `%s` of it.each; a symbol stands as written.
        const pattern = name.includes("%s") ? new RegExp(name.split("%s").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")) : null;
        expect(pattern ? pattern.test(text) : text.includes(name), `${file} holds ${name}`).toBe(true);
      }
    }
  });
});
