import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "src/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
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
];

export default config;
