import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

export type HealthReport = { status: "healthy" } | { status: "unhealthy"; database: "unreachable"; detail: string };

const TIMEOUT_MS = 3000;

/** Healthy when the database answers a trivial query within the timeout. */
export async function checkHealth(): Promise<HealthReport> {
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    try {
      await Promise.race([getDb().then((db) => db.execute(sql`select 1`)), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { status: "healthy" };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { status: "unhealthy", database: "unreachable", detail: `Database check failed: ${reason}` };
  }
}
