import { defineConfig } from "@playwright/test";

// Runs against the production build served by the self-hosted server (src/cli/server.ts) on a
// database scripts/e2e.ts created. Debian's Chromium; Playwright never downloads a browser here.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// The fake Bunny statistics API e2e/bunny.spec.ts starts (src/bunny/fakeBunny.testkit.ts).
const FAKE_BUNNY_PORT = port + 1000;
const FAKE_BUNNY_KEY = "e2e-bunny-key";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--autoplay-policy=no-user-gesture-required"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node_modules/.bin/tsx src/cli/server.ts",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret",
      NEXTAUTH_URL: baseURL,
      CRON_SECRET: "e2e-cron-secret",
      METRICS_TOKEN: "e2e-metrics-token",
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "100000",
      // One proxy in front: a test may speak from its own address with X-Forwarded-For
      // (e2e/security.spec.ts's login throttle); without the header it is 127.0.0.1.
      TRUST_PROXY: "1",
      BUNNY_API_URL: `http://127.0.0.1:${FAKE_BUNNY_PORT}`,
      BUNNY_API_KEY: FAKE_BUNNY_KEY,
      BUNNY_LIBRARY_ID: "218441",
      // Jobs run when a test runs them; e2e/scheduler.spec.ts starts its own server with the scheduler on.
      SCHEDULER: "off",
    },
  },
});
