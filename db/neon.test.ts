import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { startNeonRelay } from "@/e2e/support/neon-ws-relay";
import { useTestDatabase } from "@/e2e/support/test-database";
import { openDatabase } from "./client";
import { users } from "./schema";

const testDb = useTestDatabase();
let relay: Awaited<ReturnType<typeof startNeonRelay>>;

beforeAll(async () => {
  relay = await startNeonRelay();
  process.env.NEON_WS_PROXY = relay.proxy;
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.NEON_WS_PROXY;
  await relay.close();
});

describe("Neon serverless driver", () => {
  it("queries and commits a transaction through a WebSocket relay to the local PostgreSQL", async () => {
    const handle = await openDatabase({ driver: "neon", url: testDb.url });
    try {
      const result = await handle.db.execute(sql`select 1 + 1 as two`);
      expect((result as unknown as { rows: { two: number }[] }).rows[0]?.two).toBe(2);
      await handle.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: "neon@example.com" });
      });
      const rows = await handle.db.select().from(users).where(eq(users.email, "neon@example.com"));
      expect(rows).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });

  it("rolls back a failed transaction", async () => {
    const handle = await openDatabase({ driver: "neon", url: testDb.url });
    try {
      await expect(
        handle.db.transaction(async (tx) => {
          await tx.insert(users).values({ email: "rollback@example.com" });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const rows = await handle.db.select().from(users).where(eq(users.email, "rollback@example.com"));
      expect(rows).toHaveLength(0);
    } finally {
      await handle.close();
    }
  });
});
