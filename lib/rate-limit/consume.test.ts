import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http";
import { useTestDatabase } from "@/e2e/support/test-database";
import { consumeRateLimit } from "./consume";

useTestDatabase({ RATE_LIMIT_DISABLED: "" });

describe("Postgres-backed rate limits", () => {
  it("allows up to the limit, then answers 429 with Retry-After", async () => {
    const rule = { limit: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) await consumeRateLimit("test:a", rule);
    const err = await consumeRateLimit("test:a", rule).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(429);
    expect(Number((err as AppError).headers["Retry-After"])).toBeGreaterThan(0);
  });

  it("counts concurrent hits exactly (no lost updates)", async () => {
    const rule = { limit: 10, windowSeconds: 60 };
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => consumeRateLimit("test:b", rule)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
  });

  it("keeps buckets independent", async () => {
    const rule = { limit: 1, windowSeconds: 60 };
    await consumeRateLimit("test:c1", rule);
    await expect(consumeRateLimit("test:c2", rule)).resolves.toBeUndefined();
  });
});
