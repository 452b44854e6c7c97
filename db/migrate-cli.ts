/**
 * `npm run db:migrate`: validate the configuration, then apply pending migrations. The one
 * command for every host: run before `next start` on a server, and by the Vercel build
 * (vercel.json `buildCommand`) before `next build`. Server databases are migrated over a direct
 * connection (MIGRATIONS_DATABASE_URL, else Neon's DATABASE_URL_UNPOOLED, else DATABASE_URL),
 * because the lock that lets racing builds or instances take turns lives in one session.
 */
import path from "node:path";
import { ConfigError, getEnv } from "@/lib/env";
import { openDatabase, resolveConfiguredDatabase } from "./client";
import { resolveDatabase } from "./connection-url";
import { migratePglite, migrateServer } from "./migrate";

/** Neon's pooled hosts end their first label in `-pooler`; a transaction pooler drops session locks. */
const POOLED_HOST = /^[^.]+-pooler\./i;

function fail(message: string): never {
  console.error(`\n[db] ${message}\n`);
  process.exit(1);
}

async function main() {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration: ${err.message}`);
    throw err;
  }
  const started = Date.now();
  const app = resolveConfiguredDatabase();
  if (app.driver === "pglite") {
    const handle = await openDatabase(app, 1);
    try {
      await migratePglite(handle.db);
    } finally {
      await handle.close();
    }
    console.log(`[db] migrations applied (pglite) in ${Date.now() - started} ms`);
    return;
  }
  const target = resolveDatabase(env.database.migrationsUrl, env.database.driver, path.join(env.dataDir, "pglite"));
  if (target.driver === "pglite") fail("MIGRATIONS_DATABASE_URL must be a PostgreSQL URL when DATABASE_URL is one.");
  const host = new URL(target.url).hostname;
  if (POOLED_HOST.test(host)) {
    fail(
      `migrations need a direct connection, but ${host} is a pooled (-pooler) host. Set DATABASE_URL_UNPOOLED ` +
        "(the Neon integration does) or MIGRATIONS_DATABASE_URL to the same database without -pooler.",
    );
  }
  await migrateServer(target.url, target.driver);
  console.log(`[db] migrations applied (${target.driver}, ${host}) in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error("[db] migration failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
