import { inject } from "vitest";

// Every test file talks to the run's own database (see globalSetup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
if (inject("databaseKind") === "embedded") {
  // A test that makes a database of its own (createTestDatabase) makes an embedded one; the pool
  // has the app's size on the embedded database. (Not STREAMSCOPE_EMBEDDED_DB: with it, a child
  // process such as db:seed would start or join the app's own embedded database, not this one.)
  process.env.TEST_DATABASE_KIND = "embedded";
  process.env.DB_POOL_MAX ??= "4";
}
// Quiet tests (LOG_LEVEL's default is info); a test that reads logs builds its own logger.
process.env.LOG_LEVEL ??= "silent";
