import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, withDatabase } from "@/e2e/support/test-database-url";
import { dropDatabase, recreateDatabase } from "@/e2e/support/admin-db";
import { migrateServer } from "./migrate";

const name = `t_mig_${Date.now().toString(36)}`;

afterAll(() => dropDatabase(name));

describe("migrations", () => {
  it("two instances migrating an empty database at the same moment both succeed, applying each migration once", async () => {
    await recreateDatabase(name);
    const url = withDatabase(TEST_DATABASE_URL, name);
    await Promise.all([migrateServer(url, "pg"), migrateServer(url, "pg"), migrateServer(url, "pg")]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
      const { readdirSync } = await import("node:fs");
      const files = readdirSync("drizzle").filter((f) => f.endsWith(".sql"));
      expect(applied.rows[0].n).toBe(files.length);
      const tables = await client.query(
        "select count(*)::int as n from information_schema.tables where table_name = 'users'",
      );
      expect(tables.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });
});
