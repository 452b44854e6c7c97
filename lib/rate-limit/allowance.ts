/**
 * A test run against a deployment (Playwright with E2E_BASE_URL) signs up and signs in far more
 * often from one address than a person would; rerunning it within the hour would hit the auth
 * limits. Requests carrying `x-test-allowance: <TEST_ALLOWANCE_SECRET>` skip the per-address auth
 * limits. Unset secret (the default): no request has the allowance.
 */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

export const TEST_ALLOWANCE_HEADER = "x-test-allowance";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function hasTestAllowance(request: Request): boolean {
  const secret = getEnv().testAllowanceSecret;
  const sent = request.headers.get(TEST_ALLOWANCE_HEADER);
  if (!secret || !sent) return false;
  return timingSafeEqual(digest(sent), digest(secret));
}
