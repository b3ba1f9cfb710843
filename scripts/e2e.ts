// Creates the end-to-end database (migrated, seeded), runs Playwright against the production
// server on it, and drops it afterwards whatever happened.
import { spawnSync } from "node:child_process";
import { createTestDatabase } from "~/test/testDatabase";
import { closePool } from "~/lib/db/pool";
import { disconnectPrisma } from "~/lib/db/prisma";

const database = await createTestDatabase("streamscope_e2e");
let status = 1;
try {
  process.env.DATABASE_URL = database.url;
  const { seed } = await import("../prisma/seed");
  // A known password, passed explicitly: e2e/adminAuth.helpers.ts signs in with it.
  await seed(() => {}, { adminPassword: "streamscope-demo" });
  await disconnectPrisma();
  await closePool();
  const res = spawnSync(
    "node_modules/.bin/playwright",
    ["test", "--reporter=list,json", ...process.argv.slice(2)],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        E2E_DATABASE_URL: database.url,
        PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/playwright.json",
      },
    },
  );
  status = res.status ?? 1;
} finally {
  await database.drop();
}
process.exit(status);
