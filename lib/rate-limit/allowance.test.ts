/** The test-only allowance: a rerun against a deployment is not locked out, and nobody else gets it. */
import { beforeEach, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/auth/signup/route";
import { getDb } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { resetEnvCache } from "@/lib/env";
import { AUTH_RATE_LIMITS } from "@/lib/auth/rate-limits";

const SECRET = "allowance-secret-0123456789abcdef";
useTestDatabase({ JWT_SECRET: "unit-test-secret-0123456789abcdef0123", BCRYPT_COST: "4" });

let n = 0;
const signUpFrom = (address: string, headers: Record<string, string> = {}) =>
  signup(
    new Request("http://localhost/api/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address, ...headers },
      body: JSON.stringify({ email: `allow${n++}@example.com`, password: "password123" }),
    }),
    undefined,
  );

async function statuses(address: string, headers: Record<string, string> = {}) {
  const out: number[] = [];
  for (let i = 0; i <= AUTH_RATE_LIMITS.signup.ip.limit; i++) out.push((await signUpFrom(address, headers)).status);
  return out;
}

beforeEach(async () => {
  process.env.RATE_LIMIT_DISABLED = "";
  process.env.TEST_ALLOWANCE_SECRET = SECRET;
  resetEnvCache();
  await (await getDb()).delete(rateLimits);
});

describe("x-test-allowance", () => {
  it("with the right secret, one address signs up past the per-address limit", async () => {
    expect(new Set(await statuses("198.51.100.7", { "x-test-allowance": SECRET }))).toEqual(new Set([201]));
  });

  it("a wrong, empty or oversized value, or none, counts against the limit as usual", async () => {
    const variants: Record<string, string>[] = [
      { "x-test-allowance": "guess" },
      { "x-test-allowance": SECRET.repeat(500) },
      {},
    ];
    for (const headers of variants) {
      await (await getDb()).delete(rateLimits);
      expect((await statuses("198.51.100.8", headers)).at(-1)).toBe(429);
    }
  });

  it("is never open when TEST_ALLOWANCE_SECRET is unset", async () => {
    delete process.env.TEST_ALLOWANCE_SECRET;
    resetEnvCache();
    expect((await statuses("198.51.100.9", { "x-test-allowance": "" })).at(-1)).toBe(429);
    await (await getDb()).delete(rateLimits);
    expect((await statuses("198.51.100.9", { "x-test-allowance": "undefined" })).at(-1)).toBe(429);
  });
});
