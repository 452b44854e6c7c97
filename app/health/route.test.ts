import { describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { useTestDatabase } from "@/e2e/support/test-database";
import { GET } from "./route";

const testDb = useTestDatabase();

describe("GET /health", () => {
  it("answers 200 healthy when the database answers", async () => {
    const response = await GET(new Request("http://app/health"), undefined);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "healthy" });
  });

  it("answers 503 unhealthy when the database is unreachable", async () => {
    await closeDb();
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/none";
    resetEnvCache();
    try {
      const response = await GET(new Request("http://app/health"), undefined);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; detail: string };
      expect(body.status).toBe("unhealthy");
      expect(body.detail).toMatch(/Database/);
    } finally {
      await closeDb();
      process.env.DATABASE_URL = testDb.url;
      resetEnvCache();
    }
  });
});
