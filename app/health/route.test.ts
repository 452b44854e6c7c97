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
import { withEnv } from "@/e2e/support/env";
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

const MEMORY = { heap_used_mb: expect.any(Number), heap_limit_mb: expect.any(Number), rss_mb: expect.any(Number) };
const HEALTHY = { status: "healthy", database: "ok", configuration: "ok", memory: MEMORY };

const health = async () => {
  const response = await GET(new Request("http://app/health"), undefined);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, string> & { configuration: unknown },
  };
};

describe("GET /health", () => {
  it("reports this instance's heap in use, its limit and the resident set, in MiB", async () => {
    const { body } = await health();
    const memory = body.memory as unknown as Record<string, number>;
    expect(memory.heap_used_mb).toBeGreaterThan(0);
    expect(memory.heap_used_mb).toBeLessThan(memory.heap_limit_mb!);
    expect(memory.rss_mb).toBeGreaterThanOrEqual(memory.heap_used_mb!);
  });

  it("answers 200 healthy when the database answers and has every migration", async () => {
    expect(await health()).toEqual({ status: 200, body: HEALTHY });
    // Still healthy on the cached path.
    expect(await health()).toEqual({ status: 200, body: HEALTHY });
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
      expect(await health()).toEqual({ status: 200, body: HEALTHY });
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

  describe("configuration problems, each in its own field", () => {
    const production = {
      NODE_ENV: "production",
      JWT_SECRET: "a-long-random-test-secret",
      APP_BASE_URL: "https://app.example",
      OPENAI_API_KEY: "sk-test-health",
      SMTP_URL: "smtp://localhost:2525",
      STRIPE_SECRET_KEY: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      VERCEL: undefined,
    };

    it("a production start without JWT_SECRET is unhealthy for that reason, not for an 'unreachable' database", async () => {
      const restore = withEnv({ ...production, JWT_SECRET: undefined });
      try {
        const { status, body } = await health();
        expect(status).toBe(503);
        expect(body).toMatchObject({ status: "unhealthy", database: "not_checked" });
        expect(body.configuration).toEqual({ jwt_secret: expect.stringContaining("JWT_SECRET is not set") });
      } finally {
        restore();
      }
    });

    it("a production start off Vercel without a public base URL is unhealthy (sign-up cannot work)", async () => {
      const restore = withEnv({ ...production, APP_BASE_URL: undefined, NEXTAUTH_URL: undefined });
      try {
        const { status, body } = await health();
        expect(status).toBe(503);
        expect(body).toMatchObject({ status: "unhealthy", database: "ok" });
        expect(Object.keys(body.configuration as object)).toEqual(["public_base_url"]);
        expect(body.detail).toContain("APP_BASE_URL");
      } finally {
        restore();
      }
    });

    it("a deployment without a model (a preview) stays up, degraded, naming OPENAI_API_KEY: the chat says what to set", async () => {
      const restore = withEnv({ ...production, OPENAI_API_KEY: undefined });
      try {
        const { status, body } = await health();
        expect(status).toBe(200);
        expect(body).toMatchObject({ status: "degraded", database: "ok" });
        expect(body.configuration).toEqual({ openai_api_key: expect.stringContaining("OPENAI_API_KEY") });
      } finally {
        restore();
      }
    });

    it("a Stripe key without a webhook secret leaves the app up but degraded, naming the missing variable", async () => {
      const restore = withEnv({ ...production, STRIPE_SECRET_KEY: "sk_test_health" });
      try {
        const { status, body } = await health();
        expect(status).toBe(200);
        expect(body).toMatchObject({ status: "degraded", database: "ok" });
        expect(body.configuration).toEqual({ stripe_webhook_secret: expect.stringContaining("STRIPE_WEBHOOK_SECRET") });
      } finally {
        restore();
      }
    });
  });
});
