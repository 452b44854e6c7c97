/** The environment the e2e app server runs with: a dedicated database and local fakes. */
import { TEST_DATABASE_URL, withDatabase } from "./test-database-url";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATABASE = "test_e2e";
export const E2E_DATABASE_URL = withDatabase(TEST_DATABASE_URL, E2E_DATABASE);

export function e2eServerEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: E2E_DATABASE_URL,
    JWT_SECRET: "e2e-secret-not-for-production-0123456789abcdef",
    APP_BASE_URL: `http://127.0.0.1:${E2E_PORT}`,
    NEXTAUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
    BCRYPT_COST: "4",
    RATE_LIMIT_DISABLED: "1",
  };
}
