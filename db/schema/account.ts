import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Clean-up outside our database after an account is deleted (Stripe, OpenAI). Written in the
 * same transaction that deletes the user, then worked off by the queue drain with retries until
 * done, so an outage delays the clean-up but never blocks or half-does the deletion. No foreign
 * key: the user row is gone by the time the job runs; `user_id` is kept for the log only.
 */
export const accountCleanupJobs = pgTable(
  "account_cleanup_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["stripe", "openai"] }).notNull(),
    userId: uuid("user_id").notNull(),
    // What to remove, captured before the rows that named it were deleted (shape per kind, zod-checked).
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    // pending → done; a job is retried (with capped backoff) until it succeeds.
    status: text("status", { enum: ["pending", "done"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("account_cleanup_jobs_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export type AccountCleanupJob = typeof accountCleanupJobs.$inferSelect;
export type AccountCleanupKind = AccountCleanupJob["kind"];
