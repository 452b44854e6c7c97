/**
 * Per-user quotas of costly work (model turns, attachment uploads): a short-window rate and a
 * daily quota, both in the Postgres rate_limits table so every instance counts together.
 *
 * One SQL statement decides and counts, so it can run alongside the other reads before a model
 * call without adding a round trip: the minute counter goes up only while it is under its limit
 * (the conditional upsert holds the row lock, so concurrent turns cannot both take the last slot),
 * and the day counter only when the minute counter did. A refused attempt therefore costs nothing
 * of the daily quota.
 */
import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { getEnv } from "@/lib/env";

export type QuotaRule = { perMinute: number; perDay: number };
export type QuotaKind = "model_turn" | "upload";

export type QuotaDecision =
  { allowed: true } | { allowed: false; reason: "rate" | "daily"; retryAfterSeconds: number; message: string };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;

const MESSAGES: Record<QuotaKind, Record<"rate" | "daily", string>> = {
  model_turn: {
    rate: "You are sending messages faster than the assistant allows. Please wait a moment and try again.",
    daily: "You have reached today's message limit. Please come back tomorrow.",
  },
  upload: {
    rate: "You are uploading files faster than allowed. Please wait a moment and try again.",
    daily: "You have reached today's upload limit. Please come back tomorrow.",
  },
};

type QuotaRow = { minute_count: number | null; day_count: number | null };

/**
 * The counting part of a statement, for callers that fold it into a statement of their own:
 * `with ${ctes} select ${columns}, …`, then `decide(row)` on the row that statement returns.
 */
export function quotaCounting(kind: QuotaKind, userId: string, rule: QuotaRule, now = Date.now()) {
  const minuteStart = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const ts = (ms: number) => new Date(ms).toISOString();
  const ctes = sql`minute as (
      insert into rate_limits (bucket, window_start, count, expires_at)
      values (${`quota:${kind}:minute:${userId}`}, ${ts(minuteStart)}::timestamptz, 1, ${ts(minuteStart + MINUTE_MS)}::timestamptz)
      on conflict (bucket, window_start) do update set count = rate_limits.count + 1
        where rate_limits.count < ${rule.perMinute}
      returning count
    ), day as (
      insert into rate_limits (bucket, window_start, count, expires_at)
      select ${`quota:${kind}:day:${userId}`}, ${ts(dayStart)}::timestamptz, 1, ${ts(dayStart + DAY_MS)}::timestamptz
      where exists (select 1 from minute)
      on conflict (bucket, window_start) do update set count = rate_limits.count + 1
        where rate_limits.count < ${rule.perDay}
      returning count
    )`;
  const columns = sql`(select count from minute) as minute_count, (select count from day) as day_count`;
  const decide = (row: QuotaRow | undefined): QuotaDecision => {
    if (row?.minute_count == null) {
      return {
        allowed: false,
        reason: "rate",
        retryAfterSeconds: retryAfter(minuteStart + MINUTE_MS, now),
        message: MESSAGES[kind].rate,
      };
    }
    if (row.day_count == null) {
      return {
        allowed: false,
        reason: "daily",
        retryAfterSeconds: retryAfter(dayStart + DAY_MS, now),
        message: MESSAGES[kind].daily,
      };
    }
    return { allowed: true };
  };
  return { ctes, columns, decide };
}

export async function consumeUserQuota(
  db: Queryable,
  kind: QuotaKind,
  userId: string,
  rule: QuotaRule,
  now = Date.now(),
): Promise<QuotaDecision> {
  if (getEnv().rateLimitDisabled) return { allowed: true };
  const counting = quotaCounting(kind, userId, rule, now);
  const result = await db.execute(sql`with ${counting.ctes} select ${counting.columns}`);
  return counting.decide(rowsOf<QuotaRow>(result)[0]);
}

function retryAfter(windowEnd: number, now: number): number {
  return Math.max(1, Math.ceil((windowEnd - now) / 1000));
}

/** One attachment upload of this user (UPLOADS_PER_MINUTE / _PER_DAY). */
export function consumeUpload(db: Queryable, userId: string): Promise<QuotaDecision> {
  return consumeUserQuota(db, "upload", userId, getEnv().limits.uploads);
}
