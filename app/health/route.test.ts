import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { migrateServer } from "@/db/migrate";
import { shippedMigrations } from "@/db/migration-state";
import { dropDatabase, recreateDatabase } from "@/e2e/support/admin-db";
import { useTestDatabase } from "@/e2e/support/test-database";
import { withDatabase, TEST_DATABASE_URL } from "@/e2e/support/test-database-url";
import { resetEnvCache } from "@/lib/env";
import { resetHealthCache } from "@/lib/health/check";
import { GET } from "./route";

const testDb = useTestDatabase();
const fresh = `t_health_${Date.now().toString(36)}`;
afterAll(() => dropDatabase(fresh));

/** Points the app at another database for the duration of `fn`. */
async function against(url: string, fn: () => Promise<void>) {
  await closeDb();
  process.env.DATABASE_URL = url;
  resetEnvCache();
  resetHealthCache();
  try {
    await fn();
  } finally {
    await closeDb();
    process.env.DATABASE_URL = testDb.url;
    resetEnvCache();
    resetHealthCache();
  }
}

const health = async () => {
  const response = await GET(new Request("http://app/health"), undefined);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

describe("GET /health", () => {
  it("answers 200 healthy when the database answers and has every migration", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "healthy" } });
    // Still healthy on the cached path.
    expect(await health()).toEqual({ status: 200, body: { status: "healthy" } });
  });

  it("answers 503 unhealthy when the database is unreachable", async () => {
    await against("postgres://postgres@127.0.0.1:1/none", async () => {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: "unhealthy", database: "unreachable" });
      expect(body.detail).toMatch(/Database/);
    });
  });

  it("answers 503 migrations_pending on a database that was never migrated, naming the migrations and the fix", async () => {
    await recreateDatabase(fresh);
    const url = withDatabase(TEST_DATABASE_URL, fresh);
    await against(url, async () => {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: "unhealthy", database: "migrations_pending" });
      expect(body.detail).toContain(`${shippedMigrations.length} database migrations are not applied`);
      expect(body.detail).toContain(shippedMigrations[0]!.tag);
      expect(body.detail).toContain("npm run db:migrate");
    });
    await migrateServer(url, "pg");
    await against(url, async () => {
      expect(await health()).toEqual({ status: 200, body: { status: "healthy" } });
    });
  });

  it("names exactly the one migration a database lacks", async () => {
    const latest = shippedMigrations.at(-1)!;
    const url = withDatabase(TEST_DATABASE_URL, fresh);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("delete from drizzle.__drizzle_migrations where created_at = $1", [latest.when]);
    await client.end();
    await against(url, async () => {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body.detail).toBe(
        `1 database migration is not applied (${latest.tag}). Run \`npm run db:migrate\` against this database (on Vercel the build does it).`,
      );
    });
  });
});
