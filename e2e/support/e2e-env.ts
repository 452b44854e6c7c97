/** The environment the e2e app server runs with: a dedicated database and local fakes. */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { TEST_DATABASE_URL, withDatabase } from "./test-database-url";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
// Both can be moved so that several checkouts run their e2e suites side by side.
export const E2E_DATABASE = process.env.E2E_DATABASE ?? "test_e2e";
export const E2E_DATABASE_URL = withDatabase(TEST_DATABASE_URL, E2E_DATABASE);
export const E2E_BASE = `http://127.0.0.1:${E2E_PORT}`;

/** Fixed ports of the local fakes the e2e server talks to (see e2e/support/start-fakes.ts). */
export const FAKE_PORTS = {
  openai: E2E_PORT + 11,
  stripe: E2E_PORT + 12,
  oidc: E2E_PORT + 13,
  control: E2E_PORT + 10,
} as const;

export const E2E_STRIPE_WEBHOOK_SECRET = "whsec_e2e_test_secret";

const APPLE_TEAM_ID = "E2ETEAM001";
const APPLE_KEY_ID = "E2EKEY0001";

/**
 * The Apple sign-in key of a test run: a throwaway P-256 key made when the run starts (never a
 * file). It is kept in the process environment so that every process the run starts (the fakes,
 * the app servers, Playwright's workers) shares it: the app signs its client secrets with the
 * private half, the Apple fake verifies them with the public half.
 */
function appleTestKey(): string {
  process.env.E2E_APPLE_PRIVATE_KEY ??= generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  return process.env.E2E_APPLE_PRIVATE_KEY;
}

/** What the Apple fake knows of our client: the team, the key id and the public key (start-fakes options). */
export function appleFakeOptions(): Record<string, string> {
  const publicKey = createPublicKey(appleTestKey()).export({ type: "spki", format: "pem" }).toString();
  return { appleTeamId: APPLE_TEAM_ID, appleKeyId: APPLE_KEY_ID, applePublicKey: publicKey };
}

export function e2eServerEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: E2E_DATABASE_URL,
    JWT_SECRET: "e2e-secret-not-for-production-0123456789abcdef",
    APP_BASE_URL: E2E_BASE,
    NEXTAUTH_URL: E2E_BASE,
    BCRYPT_COST: "4",
    RATE_LIMIT_DISABLED: "1",
    OPENAI_API_KEY: "sk-test-e2e",
    OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_PORTS.openai}/v1`,
    WORKFLOW_ID: "wf_e2e_default",
    STRIPE_SECRET_KEY: "sk_test_e2e",
    STRIPE_WEBHOOK_SECRET: E2E_STRIPE_WEBHOOK_SECRET,
    STRIPE_API_BASE_URL: `http://127.0.0.1:${FAKE_PORTS.stripe}`,
    STRIPE_CHECKOUT_SUCCESS_URL: `${E2E_BASE}/dashboard/success?session_id={CHECKOUT_SESSION_ID}`,
    STRIPE_CHECKOUT_CANCEL_URL: `${E2E_BASE}/dashboard/cancelled`,
    GOOGLE_CLIENT_ID: "google-e2e-client",
    GOOGLE_CLIENT_SECRET: "google-e2e-secret",
    GOOGLE_ISSUER: `http://127.0.0.1:${FAKE_PORTS.oidc}/google`,
    APPLE_CLIENT_ID: "apple-e2e-client",
    // No APPLE_CLIENT_SECRET: the app signs its own ES256 client secret, which the fake verifies.
    APPLE_TEAM_ID: APPLE_TEAM_ID,
    APPLE_KEY_ID: APPLE_KEY_ID,
    APPLE_PRIVATE_KEY: appleTestKey(),
    APPLE_ISSUER: `http://127.0.0.1:${FAKE_PORTS.oidc}/apple`,
  };
}
