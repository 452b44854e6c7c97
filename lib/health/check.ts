import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";

export const healthReportSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("healthy") }),
  z.object({ status: z.literal("unhealthy"), database: z.literal("unreachable"), detail: z.string() }),
]);
export type HealthReport = z.infer<typeof healthReportSchema>;

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
