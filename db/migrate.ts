/**
 * Applies the committed drizzle/ SQL migrations. On a server database the run holds a
 * session-level Postgres advisory lock on its own connection, so instances starting at the
 * same moment migrate one at a time (the second finds nothing left to do).
 */
import path from "node:path";
import type { Database } from "./types";

const MIGRATION_LOCK_KEY = 7_316_001; // arbitrary, constant for this app
export const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/** Embedded PGlite: one process owns the data dir, so no lock is needed. */
export async function migratePglite(db: Database): Promise<void> {
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(db as never, { migrationsFolder });
}

type LockableClient = {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
};

export async function migrateServer(url: string, driver: "pg" | "neon"): Promise<void> {
  let client: LockableClient;
  let migrateOn: (c: LockableClient) => Promise<void>;
  if (driver === "neon") {
    const { Client } = await import("@neondatabase/serverless");
    const { drizzle } = await import("drizzle-orm/neon-serverless");
    const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
    client = new Client({ connectionString: url }) as unknown as LockableClient;
    migrateOn = (c) => migrate(drizzle(c as never), { migrationsFolder });
  } else {
    const pg = (await import("pg")).default;
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    migrateOn = (c) => migrate(drizzle(c as never), { migrationsFolder });
  }
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migrateOn(client);
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
