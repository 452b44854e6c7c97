/**
 * Fixed-window rate limits kept in Postgres, so every instance sees the same counters.
 * One upsert per check: the row for (bucket, window) is created or incremented atomically.
 */
import "server-only";
import { lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { tooManyRequests } from "@/lib/http";

export type RateLimitRule = { limit: number; windowSeconds: number };

/** Counts one hit on `bucket`; throws the contract's 429 (with Retry-After) past the limit. */
export async function consumeRateLimit(bucket: string, rule: RateLimitRule, detail?: string): Promise<void> {
  if (getEnv().rateLimitDisabled) return;
  const windowMs = rule.windowSeconds * 1000;
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const expiresAt = new Date(windowStart.getTime() + windowMs);
  const db = await getDb();
  const [row] = await db
    .insert(rateLimits)
    .values({ bucket: bucket.slice(0, 512), windowStart, count: 1, expiresAt })
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  if ((row?.count ?? 0) > rule.limit) {
    throw tooManyRequests((expiresAt.getTime() - now) / 1000, detail);
  }
  // Opportunistic clean-up of expired windows (cheap, indexed by primary key scan is fine at this size).
  if (Math.random() < 0.01) {
    await db
      .delete(rateLimits)
      .where(lt(rateLimits.expiresAt, new Date(now)))
      .catch(() => undefined);
  }
}
