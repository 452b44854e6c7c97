/**
 * The database client factory: one cached client per process (kept on globalThis so dev
 * hot reloads reuse it). The driver follows DATABASE_URL: unset → embedded PGlite under
 * DATA_DIR, postgres:// → node-postgres pool, Neon hosts → @neondatabase/serverless Pool.
 *
 * On Vercel (Fluid compute) the pool follows the platform's guidance: node-postgres over TCP to
 * the pooled URL (Neon hosts included, unless DATABASE_DRIVER says otherwise), a short idle
 * timeout, and the pool attached to the function's lifecycle (`attachDatabasePool`), so idle
 * connections are closed before an instance is suspended instead of being cut while it sleeps.
 */
import "server-only";
import path from "node:path";
import type { Pool as PgPool } from "pg";
import { getEnv } from "@/lib/env";
import { resolveDatabase, type ResolvedDatabase } from "./connection-url";
import * as schema from "./schema";
import type { Database } from "./types";
import { logger } from "@/lib/observability/logger";
import { traceQueries } from "@/lib/observability/query-spans";

const log = logger.child({ component: "db" });

// The types live in ./types (so the migrator need not import this module); re-exported for callers.
export type { Database, Queryable, Tx } from "./types";

type Handle = { db: Database; driver: ResolvedDatabase["driver"]; close: () => Promise<void> };

const globalKey = Symbol.for("app.db.handle");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<Handle> | Handle };

export type PoolOptions = {
  /** Idle connections are closed after this long. */
  idleTimeoutMs?: number;
  /** Called with the pool once created (Vercel: attachDatabasePool). */
  attach?: (pool: PgPool) => void;
};

/** How long an idle connection stays open: short on Vercel, where instances are suspended between requests. */
export const VERCEL_IDLE_TIMEOUT_MS = 5_000;

export async function openDatabase(
  target: ResolvedDatabase,
  poolMax = 10,
  { idleTimeoutMs = 30_000, attach }: PoolOptions = {},
): Promise<Handle> {
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
    const pool = new Pool({ connectionString: target.url, max: poolMax, idleTimeoutMillis: idleTimeoutMs });
    pool.on("error", (err: Error) => log.error({ err }, "idle Neon client error"));
    traceQueries(pool as unknown as PgPool);
    attach?.(pool as unknown as PgPool); // the Neon Pool is node-postgres's Pool
    return { db: drizzle(pool, { schema }) as unknown as Database, driver: "neon", close: () => pool.end() };
  }
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({
    connectionString: target.url,
    max: poolMax,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: idleTimeoutMs,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", (err) => log.error({ err }, "idle client error"));
  traceQueries(pool);
  attach?.(pool);
  return { db: drizzle(pool, { schema }) as unknown as Database, driver: "pg", close: () => pool.end() };
}

export function resolveConfiguredDatabase(): ResolvedDatabase {
  const env = getEnv();
  const target = resolveDatabase(env.database.url, env.database.driver, path.join(env.dataDir, "pglite"));
  // Fluid compute keeps instances warm: a TCP pool beats a WebSocket per connection there.
  if (env.vercel && target.driver === "neon" && !env.database.driver) return { driver: "pg", url: target.url };
  return target;
}

/** Pool settings for this platform. */
async function platformPoolOptions(): Promise<PoolOptions> {
  const { vercel, database } = getEnv();
  if (!vercel) return database.poolIdleMs === undefined ? {} : { idleTimeoutMs: database.poolIdleMs };
  const { attachDatabasePool } = await import("@vercel/functions");
  return {
    idleTimeoutMs: database.poolIdleMs ?? VERCEL_IDLE_TIMEOUT_MS,
    attach: (pool) => attachDatabasePool(pool),
  };
}

async function handle(): Promise<Handle> {
  const g = globalThis as GlobalWithDb;
  const existing = g[globalKey];
  if (existing) return existing;
  const opening = (async () => {
    const target = resolveConfiguredDatabase();
    const opened = await openDatabase(target, getEnv().database.poolMax, await platformPoolOptions());
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
