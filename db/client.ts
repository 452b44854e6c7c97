/**
 * The database client factory: one cached client per process (kept on globalThis so dev
 * hot reloads reuse it). The driver follows DATABASE_URL: unset → embedded PGlite under
 * DATA_DIR, postgres:// → node-postgres pool, Neon hosts → @neondatabase/serverless Pool.
 */
import path from "node:path";
import { getEnv } from "@/lib/env";
import { resolveDatabase, type ResolvedDatabase } from "./connection-url";
import * as schema from "./schema";
import type { Database } from "./types";

// The types live in ./types (so the migrator need not import this module); re-exported for callers.
export type { Database, Queryable, Schema, Tx } from "./types";

type Handle = { db: Database; driver: ResolvedDatabase["driver"]; close: () => Promise<void> };

const globalKey = Symbol.for("app.db.handle");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Handle> | Handle };

export async function openDatabase(target: ResolvedDatabase, poolMax = 10): Promise<Handle> {
  if (target.driver === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = target.dataDir === ":memory:" ? new PGlite() : new PGlite(path.resolve(target.dataDir));
    await client.waitReady;
    return { db: drizzle(client, { schema }) as unknown as Database, driver: "pglite", close: () => client.close() };
  }
  if (target.driver === "neon") {
    const { Pool, neonConfig } = await import("@neondatabase/serverless");
    const { drizzle } = await import("drizzle-orm/neon-serverless");
    const ws = (await import("ws")).default;
    neonConfig.webSocketConstructor = ws;
    const proxy = getEnv().database.neonWsProxy;
    if (proxy) {
      // A local relay speaks plain ws and forwards to the address in the query string.
      neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineTLS = false;
      neonConfig.pipelineConnect = false;
    }
    const pool = new Pool({ connectionString: target.url, max: poolMax });
    pool.on("error", (err: Error) => console.error("[db] idle neon client error", err.message));
    return { db: drizzle(pool, { schema }) as unknown as Database, driver: "neon", close: () => pool.end() };
  }
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({
    connectionString: target.url,
    max: poolMax,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", (err) => console.error("[db] idle client error", err.message));
  return { db: drizzle(pool, { schema }) as unknown as Database, driver: "pg", close: () => pool.end() };
}

export function resolveConfiguredDatabase(): ResolvedDatabase {
  const env = getEnv();
  return resolveDatabase(env.database.url, env.database.driver, path.join(env.dataDir, "pglite"));
}

async function handle(): Promise<Handle> {
  const g = globalThis as GlobalWithDb;
  const existing = g[globalKey];
  if (existing) return existing;
  const opening = (async () => {
    const target = resolveConfiguredDatabase();
    const opened = await openDatabase(target, getEnv().database.poolMax);
    if (target.driver === "pglite") {
      // Zero-config mode: the embedded database migrates itself on first use.
      const { migratePglite } = await import("./migrate");
      await migratePglite(opened.db);
    }
    g[globalKey] = opened;
    return opened;
  })();
  g[globalKey] = opening;
  opening.catch(() => {
    if (g[globalKey] === opening) delete g[globalKey];
  });
  return opening;
}

/** The process-wide database. */
export async function getDb(): Promise<Database> {
  return (await handle()).db;
}

export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const existing = g[globalKey];
  delete g[globalKey];
  if (existing) await (await existing).close();
}
