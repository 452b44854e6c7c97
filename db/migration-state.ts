/**
 * Whether the database has every migration this build ships. The list comes from drizzle/'s
 * journal, bundled at build time; the applied ones from drizzle's own bookkeeping table. Drizzle
 * applies a migration when its timestamp is newer than the last applied one, so the same rule
 * says what is pending.
 */
import { sql } from "drizzle-orm";
import journal from "@/drizzle/meta/_journal.json";
import type { Database } from "./types";

export type MigrationState = { pending: string[] };

const UNDEFINED_TABLE = "42P01";
const UNDEFINED_SCHEMA = "3F000";

function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

export const shippedMigrations: readonly { tag: string; when: number }[] = journal.entries;

export async function migrationState(db: Database): Promise<MigrationState> {
  let last = -Infinity;
  try {
    const result = await db.execute<{ last: string | null }>(
      sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`,
    );
    const value = (result as unknown as { rows?: { last: string | null }[] }).rows?.[0]?.last ?? null;
    if (value !== null) last = Number(value);
  } catch (err) {
    // Never migrated at all: every migration is pending.
    const code = pgCode(err);
    if (code !== UNDEFINED_TABLE && code !== UNDEFINED_SCHEMA) throw err;
  }
  return { pending: shippedMigrations.filter((m) => m.when > last).map((m) => m.tag) };
}
