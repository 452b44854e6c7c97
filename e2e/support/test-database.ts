/**
 * Per-file isolation: `useTestDatabase()` clones the migrated template into a fresh
 * database before the file's tests, points DATABASE_URL at it, and drops it afterwards.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { closeDb, getDb, type Database } from "@/db/client";
import { adminQuery, dropDatabase } from "./admin-db";
import { TEMPLATE_DATABASE, TEST_DATABASE_URL, withDatabase } from "./test-database-url";

export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`create database "${name}" template "${TEMPLATE_DATABASE}"`);
      break;
    } catch (err) {
      // Another file may be cloning the template at this instant.
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return { name, url: withDatabase(TEST_DATABASE_URL, name) };
}

export const dropTestDatabase = dropDatabase;

export type TestDatabase = { url: string; name: string; db: () => Promise<Database> };

/** Registers hooks for this test file; the app's getDb() then talks to the fresh database. */
export function useTestDatabase(extraEnv: Record<string, string> = {}): TestDatabase {
  const state = { url: "", name: "" };
  beforeAll(async () => {
    const created = await createTestDatabase();
    Object.assign(state, created);
    process.env.DATABASE_URL = created.url;
    delete process.env.DATABASE_DRIVER;
    Object.assign(process.env, extraEnv);
    resetEnvCache();
  });
  afterAll(async () => {
    await closeDb();
    if (state.name) await dropTestDatabase(state.name);
  });
  return {
    get url() {
      return state.url;
    },
    get name() {
      return state.name;
    },
    db: () => getDb(),
  };
}
