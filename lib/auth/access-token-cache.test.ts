import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { issueAccessToken, verifyAccessToken } from "./access-token";

const user = { id: "0b9c7f3e-1d2a-4c5b-8e6f-7a8b9c0d1e2f", tokenVersion: 3 };

function secret(value: string, expiresIn = "3600") {
  process.env.JWT_SECRET = value;
  process.env.JWT_EXPIRES_IN = expiresIn;
  resetEnvCache();
}

afterEach(() => {
  vi.useRealTimers();
  delete process.env.JWT_EXPIRES_IN;
  resetEnvCache();
});

describe("verified-token cache", () => {
  it("still rejects a cached token once it has expired", async () => {
    secret("cache-secret-1", "60");
    const token = await issueAccessToken(user);
    expect(await verifyAccessToken(token)).toEqual({ userId: user.id, tokenVersion: 3 });
    vi.useFakeTimers({ now: Date.now() + 61_000 });
    expect(await verifyAccessToken(token)).toBeNull();
  });

  it("does not trust a token verified under a secret that has since changed", async () => {
    secret("cache-secret-old");
    const token = await issueAccessToken(user);
    expect(await verifyAccessToken(token)).not.toBeNull();
    secret("cache-secret-new");
    expect(await verifyAccessToken(token)).toBeNull();
  });
});
