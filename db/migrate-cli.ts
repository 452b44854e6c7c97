/** `npm run db:migrate` (also run before `dev` and `start`): validate config, apply migrations. */
import { ConfigError, getEnv } from "@/lib/env";
import { openDatabase, resolveConfiguredDatabase } from "./client";
import { migratePglite, migrateServer } from "./migrate";

async function main() {
  try {
    getEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\n[config] ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const target = resolveConfiguredDatabase();
  const started = Date.now();
  if (target.driver === "pglite") {
    const handle = await openDatabase(target, 1);
    try {
      await migratePglite(handle.db);
    } finally {
      await handle.close();
    }
  } else {
    await migrateServer(target.url, target.driver);
  }
  console.log(`[db] migrations applied (${target.driver}) in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error("[db] migration failed:", err instanceof Error ? err.message : err);
  process.exit(1);
});
