import { inject } from "vitest";

// Every test file talks to the run's own database (see globalSetup.ts).
process.env.DATABASE_URL = inject("databaseUrl");
