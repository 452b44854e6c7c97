/** Depth and age of the job queues (emails, account clean-up), for the metrics (lib/observability/metrics.ts). */
import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { QueueState } from "@/lib/observability/metrics";

export async function readQueueState(): Promise<QueueState[]> {
  const db = await getDb();
  const result = await db.execute(sql`
    select 'email' as queue, count(*)::int as depth,
           extract(epoch from now() - min(created_at))::float8 as age
      from outbound_emails where status = 'pending'
    union all
    select 'account_cleanup', count(*)::int, extract(epoch from now() - min(created_at))::float8
      from account_cleanup_jobs where status = 'pending'`);
  return rowsOf<{ queue: string; depth: number; age: number | null }>(result).map((r) => ({
    queue: r.queue,
    depth: Number(r.depth),
    oldestAgeSeconds: r.age === null ? 0 : Number(r.age),
  }));
}
