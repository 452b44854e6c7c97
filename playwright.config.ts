/**
 * Playwright e2e against the production build (`next build` first; `npm test` does it),
 * or against an already deployed URL when E2E_BASE_URL is set (e.g. a Vercel preview). Tests
 * tagged `@fakes` need the local fakes or the local e2e database and are skipped then. Against a
 * deployment, VERCEL_AUTOMATION_BYPASS_SECRET passes Vercel's deployment protection and
 * TEST_ALLOWANCE_SECRET lets reruns past the per-address sign-up/sign-in limits.
 */
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { e2eServerEnv, E2E_PORT, FAKE_PORTS } from "./e2e/support/e2e-env";

const deployed = process.env.E2E_BASE_URL;
const bypass = process.env.VERCEL_AUTOMATION_BYPASS_SECRET;
const allowance = process.env.TEST_ALLOWANCE_SECRET;
/** Sent with every request of a run against a deployment (Vercel's documented way for automation). */
const deploymentHeaders: Record<string, string> = {
  ...(bypass ? { "x-vercel-protection-bypass": bypass, "x-vercel-set-bypass-cookie": "samesitenone" } : {}),
  ...(allowance ? { "x-test-allowance": allowance } : {}),
};
const chromiumPath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// Under the react-server condition, as every script here runs: modules marked server-only load as on the server.
const tsx = "node node_modules/tsx/dist/cli.mjs --conditions=react-server";

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  grepInvert: deployed ? /@fakes/ : undefined,
  outputDir: "./e2e/artifacts/results",
  forbidOnly: true, // a stray .only would silently skip the rest of the suite
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // Every assertion waits for a state (an address, an element, an attribute), so this bound only
  // decides how long a failing one takes. Playwright's 5 s default failed good runs on a busy
  // machine (npm test builds and runs everything on the same cores): a navigation, a page's
  // hydration or a stream's first delta can take longer there.
  expect: { timeout: 15_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: ".data/playwright.json" }],
    ["html", { outputFolder: "e2e/artifacts/report", open: "never" }],
  ],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: deployed ?? `http://127.0.0.1:${E2E_PORT}`,
    extraHTTPHeaders: deployed ? deploymentHeaders : undefined,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      // Without these Chromium tries to reach Google's hosts, which this network refuses.
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: deployed
    ? undefined
    : [
        {
          // Local fakes of OpenAI, Stripe and the Google/Apple OIDC issuers.
          command: `${tsx} e2e/support/start-fakes.ts`,
          url: `http://127.0.0.1:${FAKE_PORTS.control}/ready`,
          reuseExistingServer: false,
          timeout: 60_000,
          stdout: "pipe",
          stderr: "pipe",
        },
        {
          command: `${tsx} e2e/support/prepare-e2e-db.ts && ${tsx} db/migrate-cli.ts && node node_modules/next/dist/bin/next start -p ${E2E_PORT}`,
          url: `http://127.0.0.1:${E2E_PORT}/health`,
          env: e2eServerEnv(),
          reuseExistingServer: false,
          timeout: 120_000,
          stdout: "pipe",
          stderr: "pipe",
        },
      ],
});
