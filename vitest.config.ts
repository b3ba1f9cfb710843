import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Which test files use the database: the database's URL is read in the file, or its imports reach
// the pool, Prisma or the migrations, directly or through the modules it tests. Found from the
// import graph, so a new database test runs on both databases without being listed anywhere.
const DATABASE_MODULES = ["src/lib/db/pool.ts", "src/lib/db/prisma.ts", "src/lib/db/migrate.ts", "src/test/testDatabase.ts"];
const READS_DATABASE_URL = /DATABASE_URL|inject\(\s*["']databaseUrl["']\s*\)/;
// Static imports and re-exports at the start of a line (not import-like text inside strings),
// dynamic imports anywhere.
const IMPORTS = [/^(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm, /^import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
const EXTENSIONS = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"];

/** Test files (*.test.ts, *.test.tsx) under `dirs`, relative to `root`. */
function listTestFiles(root: string, dirs: string[]): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
      const rel = path.join(dir, d.name);
      if (d.isDirectory()) return d.name === "node_modules" || d.name === "generated" ? [] : walk(rel);
      return /\.test\.tsx?$/.test(d.name) ? [rel] : [];
    });
  return dirs.filter((d) => fs.existsSync(path.join(root, d))).flatMap(walk).sort();
}

function testFilesUsingDatabase(root: string, testFiles: string[]): string[] {
  const targets = new Set(DATABASE_MODULES.map((f) => path.join(root, f)));
  const reaches = new Map<string, boolean>();

  const resolve = (from: string, spec: string): string | undefined => {
    let base: string;
    if (spec.startsWith("~/")) base = path.join(root, "src", spec.slice(2));
    else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
    else return undefined; // a package
    for (const ext of EXTENSIONS) {
      const f = base + ext;
      if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
    }
    return undefined;
  };

  const visit = (file: string): boolean => {
    const known = reaches.get(file);
    if (known !== undefined) return known;
    reaches.set(file, false); // cycles: not (yet) known to reach
    let found = targets.has(file);
    if (!found) {
      const text = fs.readFileSync(file, "utf8");
      const specs = IMPORTS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
      found = specs.some((spec) => {
        const next = resolve(file, spec);
        return next !== undefined && visit(next);
      });
    }
    reaches.set(file, found);
    return found;
  };

  return testFiles.filter((f) => {
    const abs = path.resolve(root, f);
    return READS_DATABASE_URL.test(fs.readFileSync(abs, "utf8")) || visit(abs);
  });
}

const root = import.meta.dirname;
const testFiles = listTestFiles(root, ["src", "scripts", "bench"]);

// Database tests on the embedded PGlite as well: every test file whose imports reach the database
// (testFilesUsingDatabase, below), except those that are about one database by design.
const ONE_DATABASE_BY_DESIGN = [
  "src/lib/db/pool.test.ts", // PostgreSQL's backends (pg_terminate_backend): PGlite has one, no other
  "src/lib/db/embedded.test.ts", // starts embedded databases of its own
  "src/jobs/lease.test.ts", // runs on PostgreSQL and on an embedded database of its own already
];
const embeddedTests = testFilesUsingDatabase(root, testFiles).filter((f) => !ONE_DATABASE_BY_DESIGN.includes(f));

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(root, "src"),
      "server-only": path.resolve(root, "src/test/empty.ts"),
    },
  },
  test: {
    environment: "node",
    globalSetup: ["src/test/globalSetup.ts"],
    setupFiles: ["src/test/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One project per database (`npx vitest run --project embedded` runs one): "postgres" runs
    // every test, "embedded" the database tests again on the embedded default (globalSetup.ts).
    projects: [
      { extends: true, test: { name: "postgres", include: testFiles } },
      { extends: true, test: { name: "embedded", include: embeddedTests } },
    ],
  },
});
