import { inject } from "vitest";

// Every test file talks to the run's own database (see globalSetup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
// Quiet tests (LOG_LEVEL's default is info); a test that reads logs builds its own logger.
process.env.LOG_LEVEL ??= "silent";
