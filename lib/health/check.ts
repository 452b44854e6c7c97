import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { migrationState } from "@/db/migration-state";

export const healthReportSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("healthy") }),
  z.object({
    status: z.literal("unhealthy"),
    database: z.enum(["unreachable", "migrations_pending"]),
    detail: z.string(),
  }),
]);
export type HealthReport = z.infer<typeof healthReportSchema>;

const TIMEOUT_MS = 3000;
/** A schema found behind is looked at again after this long (a deploy may be migrating it right now). */
const PENDING_RECHECK_MS = 5000;

/**
 * The schema check runs once per process while the schema is current (a running build's
 * migrations never go backwards), and at most every few seconds while it is behind; the cheap
 * `select 1` covers every other call.
 */
let schemaCurrent = false;
let pendingSeen: { at: number; pending: string[] } | undefined;

async function probe(): Promise<HealthReport> {
  const db = await getDb();
  if (schemaCurrent) {
    await db.execute(sql`select 1`);
    return { status: "healthy" };
  }
  let pending: string[];
  if (pendingSeen && Date.now() - pendingSeen.at < PENDING_RECHECK_MS) {
    await db.execute(sql`select 1`);
    pending = pendingSeen.pending;
  } else {
    pending = (await migrationState(db)).pending;
    pendingSeen = { at: Date.now(), pending };
  }
  if (pending.length === 0) {
    schemaCurrent = true;
    pendingSeen = undefined;
    return { status: "healthy" };
  }
  return {
    status: "unhealthy",
    database: "migrations_pending",
    detail:
      `${pending.length} database migration${pending.length === 1 ? " is" : "s are"} not applied ` +
      `(${pending.join(", ")}). Run \`npm run db:migrate\` against this database (on Vercel the build does it).`,
  };
}

/** Healthy when the database answers within the timeout and has every migration this build ships. */
export async function checkHealth(): Promise<HealthReport> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    return await Promise.race([probe(), timeout]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { status: "unhealthy", database: "unreachable", detail: `Database check failed: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}

/** For tests: forget what the schema check learned. */
export function resetHealthCache(): void {
  schemaCurrent = false;
  pendingSeen = undefined;
}
