import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, withDatabase } from "@/e2e/support/test-database-url";
import { dropDatabase, recreateDatabase } from "@/e2e/support/admin-db";
import { migrateServer } from "./migrate";

const run = promisify(execFile);
const name = `t_mig_${Date.now().toString(36)}`;
const cliName = `t_migcli_${Date.now().toString(36)}`;

afterAll(async () => {
  await dropDatabase(name);
  await dropDatabase(cliName);
});

async function appliedMigrations(url: string): Promise<{ count: number; users: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
    const tables = await client.query(
      "select count(*)::int as n from information_schema.tables where table_name = 'users'",
    );
    return { count: applied.rows[0].n, users: tables.rows[0].n };
  } finally {
    await client.end();
  }
}
const shipped = readdirSync("drizzle").filter((f) => f.endsWith(".sql")).length;

/** `npm run db:migrate` as the Vercel build runs it: NODE_ENV=production, VERCEL=1, only the given variables. */
function migrateCli(vars: Record<string, string>) {
  return run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "db/migrate-cli.ts"], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", VERCEL: "1", VERCEL_ENV: "preview", ...vars },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe("migrations", () => {
  it("two instances migrating an empty database at the same moment both succeed, applying each migration once", async () => {
    await recreateDatabase(name);
    const url = withDatabase(TEST_DATABASE_URL, name);
    await Promise.all([migrateServer(url, "pg"), migrateServer(url, "pg"), migrateServer(url, "pg")]);
    expect(await appliedMigrations(url)).toEqual({ count: shipped, users: 1 });
  });

  it("two racing deploy builds migrate a fresh database over the unpooled URL, each migration once", async () => {
    await recreateDatabase(cliName);
    const direct = withDatabase(TEST_DATABASE_URL, cliName);
    // The pooled URL points nowhere: the command must use DATABASE_URL_UNPOOLED.
    const vars = {
      JWT_SECRET: "s",
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/pooled",
      DATABASE_URL_UNPOOLED: direct,
    };
    const [a, b] = await Promise.all([migrateCli(vars), migrateCli(vars)]);
    expect(a.out).toContain("migrations applied (pg, 127.0.0.1)");
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await appliedMigrations(direct)).toEqual({ count: shipped, users: 1 });
  });

  it("a deploy build stops with one message naming the variable: no DATABASE_URL, or only a pooled Neon host", async () => {
    const missing = await migrateCli({ JWT_SECRET: "s" });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("DATABASE_URL is not set");
    const pooled = await migrateCli({
      JWT_SECRET: "s",
      DATABASE_URL: "postgres://u:p@ep-quiet-cell-a1b2c3-pooler.eu-central-1.aws.neon.tech/app",
    });
    expect(pooled.code).toBe(1);
    expect(pooled.out).toContain("pooled (-pooler) host. Set DATABASE_URL_UNPOOLED");
    const noSecret = await migrateCli({ DATABASE_URL: withDatabase(TEST_DATABASE_URL, cliName) });
    expect(noSecret.code).toBe(1);
    expect(noSecret.out).toContain("JWT_SECRET is not set");
  });
});
