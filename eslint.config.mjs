import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (docs/architecture.md): pages and components → API → domain → lib/db, with the
// dependency-free contract under all of them. Tests and test support may reach across.
const DOMAIN = ["ingest", "sessions", "aggregation", "analytics", "bunny", "partitions", "retention", "jobs", "streams", "catalog", "tokens", "tracker", "privacy"].map((d) => `./src/${d}`);
const API = ["./src/server", "./src/app/api", "./src/trpc"];
const UI_DIRS = ["./src/components", "./src/hooks"];
const UI_TARGETS = [...UI_DIRS, "./src/app/!(api)/**", "./src/app/*.{ts,tsx}"];
const ENTRY = ["./src/cli", "./src/worker"];
const TEST_FILES = ["**/*.test.{ts,tsx}", "**/*.testkit.ts", "src/test/**"];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "src/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "public/streamscope.js", "public/streamscope.mjs"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // src/env.ts is the only reader of the environment (t3's rule): the app reads `env.NAME`; browser
  // code gets what it needs as props from a server component. Tests and the test harness may set
  // variables for the code under test.
  {
    files: ["src/**/*.{ts,tsx,js,mjs}"],
    ignores: ["src/env.ts", "src/**/*.test.{ts,tsx}", "src/**/*.testkit.ts", "src/test/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment through src/env.ts (env.NAME); browser code gets values as props." }],
      "no-restricted-syntax": [
        "error",
        { selector: "ImportDeclaration[source.value=/^(node:)?process$/]", message: "Read the environment through src/env.ts, not the process module." },
        // A client component ships to the browser: it imports no server module (types are fine).
        {
          selector:
            "Program:has(> ExpressionStatement[directive='use client']) ImportDeclaration[importKind!='type'][source.value=/^(~\\/(server|env|generated|cli|worker|ingest|sessions|aggregation|bunny|partitions|retention|jobs|streams|catalog|tokens|lib\\/(db|clickhouse|log|logger|metrics|rateLimit|geo|detect|bearerAuth))(\\/|$)|~\\/analytics\\/(?!filters$|searchParams$)|server-only$|pg$|@prisma\\/|next-auth\\/next$)/]",
          message: "A client component imports no server module: use src/contract, src/analytics/filters|searchParams, src/lib/format, the tracker or tRPC.",
        },
      ],
    },
  },
  // Only tests and their support (*.testkit.ts, src/test/) import the test framework.
  {
    ignores: ["**/*.test.{ts,tsx}", "**/*.testkit.ts", "src/test/**", "vitest.config.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vitest", message: "Only *.test.ts(x), *.testkit.ts and src/test/ import vitest." }],
          patterns: [{ group: ["vitest/*", "@vitest/*"], message: "Only *.test.ts(x), *.testkit.ts and src/test/ import vitest." }],
        },
      ],
    },
  },
  // Production code under src/ imports no test support (and, as everywhere, no test framework).
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: TEST_FILES,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vitest", message: "Only *.test.ts(x), *.testkit.ts and src/test/ import vitest." }],
          patterns: [
            { group: ["vitest/*", "@vitest/*"], message: "Only *.test.ts(x), *.testkit.ts and src/test/ import vitest." },
            { group: ["**/*.testkit", "~/test/*"], message: "Production code imports no test support (*.testkit.ts, src/test/)." },
          ],
        },
      ],
    },
  },
  // Imports point one way; the contract imports nothing; ingestion and the contract know no Next.js.
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: TEST_FILES,
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./src/contract", from: "./src", except: ["./contract"], message: "src/contract is dependency-free: it imports nothing of the app." },
            { target: ["./src/lib", "./src/env.ts"], from: [...DOMAIN, ...API, "./src/app", ...UI_DIRS, ...ENTRY], message: "lib imports no domain, API or UI module (lib is the bottom layer)." },
            { target: DOMAIN, from: [...API, "./src/app", ...UI_DIRS, ...ENTRY], message: "A domain module imports no API, page or component (imports point one way)." },
            { target: API, from: ["./src/app", ...UI_DIRS, ...ENTRY], except: ["./api"], message: "The API layer imports no page or component." },
            {
              target: UI_TARGETS,
              from: [...DOMAIN.filter((d) => !d.endsWith("/tracker") && !d.endsWith("/analytics")), "./src/lib/db", "./src/lib/clickhouse", ...ENTRY],
              message: "Pages and components read data through the API (tRPC: src/trpc/server.ts, src/trpc/react.tsx), not from the domain.",
            },
            {
              target: UI_TARGETS,
              from: "./src/analytics",
              except: ["./filters.ts", "./searchParams.ts"],
              message: "Pages and components share only the read model's filters and search params; data comes through tRPC.",
            },
            { target: ["./src/ingest", "./src/contract"], from: "./node_modules/next", message: "Ingestion and the contract are framework-free: no Next.js." },
          ],
        },
      ],
    },
  },
  // The contract imports no package either (the tracker bundles it).
  {
    files: ["src/contract/**/*.ts"],
    ignores: TEST_FILES,
    rules: {
      "no-restricted-syntax": ["error", { selector: "ImportDeclaration[source.value!=/^\\.\\//]", message: "src/contract imports only its own files." }],
    },
  },
];

export default config;
