/** Database connections on Vercel: TCP pool to the pooled URL, short idle timeout, pool attached to the function. */
import { afterEach, describe, expect, it } from "vitest";
import type { Pool } from "pg";
import { resetEnvCache } from "@/lib/env";
import { useTestDatabase } from "@/e2e/support/test-database";
import { closeDb, getDb, openDatabase, resolveConfiguredDatabase, VERCEL_IDLE_TIMEOUT_MS } from "./client";

const testDb = useTestDatabase();
const saved = { ...process.env };
afterEach(() => {
  for (const key of ["VERCEL", "DATABASE_DRIVER", "DATABASE_POOL_IDLE_MS"]) delete process.env[key];
  Object.assign(process.env, { DATABASE_URL: saved.DATABASE_URL ?? testDb.url });
  resetEnvCache();
});

describe("database pool on Vercel", () => {
  it("uses node-postgres over TCP for a Neon pooled host on Vercel, the WebSocket driver elsewhere or when forced", () => {
    const neon = "postgres://u:p@ep-quiet-cell-a1b2c3-pooler.eu-central-1.aws.neon.tech/app?sslmode=require";
    Object.assign(process.env, { DATABASE_URL: neon, VERCEL: "1", JWT_SECRET: "s" });
    resetEnvCache();
    expect(resolveConfiguredDatabase()).toEqual({ driver: "pg", url: neon });
    process.env.DATABASE_DRIVER = "neon";
    resetEnvCache();
    expect(resolveConfiguredDatabase().driver).toBe("neon");
    delete process.env.VERCEL;
    delete process.env.DATABASE_DRIVER;
    resetEnvCache();
    expect(resolveConfiguredDatabase().driver).toBe("neon");
  });

  it("hands the pool, with its short idle timeout, to the platform hook and still serves queries", async () => {
    const attached: Pool[] = [];
    const handle = await openDatabase({ driver: "pg", url: testDb.url }, 3, {
      idleTimeoutMs: VERCEL_IDLE_TIMEOUT_MS,
      attach: (pool) => attached.push(pool),
    });
    try {
      expect(attached).toHaveLength(1);
      expect(attached[0]!.options.idleTimeoutMillis).toBe(5000);
      expect(attached[0]!.options.max).toBe(3);
      const { attachDatabasePool } = await import("@vercel/functions");
      expect(() => attachDatabasePool(attached[0]!)).not.toThrow(); // the real hook accepts our pool
      await handle.db.execute("select 1");
    } finally {
      await handle.close();
    }
  });

  it("DATABASE_POOL_IDLE_MS sets how long an idle connection stays open (default 30 s off Vercel)", async () => {
    const idleOf = async () => {
      await closeDb();
      resetEnvCache();
      const db = (await getDb()) as unknown as { $client: Pool };
      return db.$client.options.idleTimeoutMillis;
    };
    try {
      expect(await idleOf()).toBe(30_000);
      process.env.DATABASE_POOL_IDLE_MS = "1500";
      expect(await idleOf()).toBe(1500);
    } finally {
      delete process.env.DATABASE_POOL_IDLE_MS;
      await closeDb();
      resetEnvCache();
    }
  });
});
