/**
 * The outside half of deleting an account: cancelling its Stripe subscriptions (and removing
 * its customer) and deleting its OpenAI vector store and files. Each is one row in
 * `account_cleanup_jobs`, inserted in the transaction that deletes the user, so the deletion
 * never waits for (or fails with) Stripe or OpenAI and the clean-up is never forgotten.
 *
 * Delivery works like the email queue: a drain claims due rows with `FOR UPDATE SKIP LOCKED`
 * and leases them (next_attempt_at moves ahead) in one short transaction, runs them outside
 * it, and records the outcome. A failure is retried with capped exponential backoff until the
 * job succeeds; every step is idempotent (already gone counts as done), so a retry or a worker
 * that died mid-job repeats nothing harmful.
 */
import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database, Queryable } from "@/db/client";
import { accountCleanupJobs, type AccountCleanupJob } from "@/db/schema";
import { openAICleanupPayloadSchema, runOpenAICleanup, type OpenAICleanupPayload } from "./cleanup-openai";
import { runStripeCleanup, stripeCleanupPayloadSchema, type StripeCleanupPayload } from "./cleanup-stripe";
import { logger } from "@/lib/observability/logger";

const cleanupLog = logger.child({ component: "account-cleanup" });

export type CleanupJobInput =
  | { kind: "stripe"; userId: string; payload: StripeCleanupPayload }
  | { kind: "openai"; userId: string; payload: OpenAICleanupPayload };

/** Records a clean-up job; pass the transaction that deletes the account. */
export async function enqueueCleanupJob(db: Queryable, job: CleanupJobInput): Promise<void> {
  await db.insert(accountCleanupJobs).values({ kind: job.kind, userId: job.userId, payload: job.payload });
}

export type CleanupOptions = {
  batchSize?: number;
  /** How long a claimed job stays invisible to other drains while it runs. */
  leaseSeconds?: number;
  /** Delay before retry n (1-based): base · 2^(n-1), capped. There is no last attempt. */
  backoffBaseSeconds?: number;
  backoffMaxSeconds?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Stop claiming new batches once Date.now() reaches this (epoch ms); claimed jobs still run. */
  deadline?: number;
};

const defaults = {
  batchSize: 10,
  leaseSeconds: 300,
  backoffBaseSeconds: 30,
  backoffMaxSeconds: 3600,
  now: () => new Date(),
  log: (line: string) => cleanupLog.warn(line),
} satisfies Required<Omit<CleanupOptions, "deadline">>;

export function cleanupRetryDelaySeconds(attempt: number, options: CleanupOptions = {}): number {
  const base = options.backoffBaseSeconds ?? defaults.backoffBaseSeconds;
  const max = options.backoffMaxSeconds ?? defaults.backoffMaxSeconds;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/** Claims up to batchSize due jobs and counts the attempt. */
export async function claimDueCleanupJobs(db: Database, options: CleanupOptions = {}): Promise<AccountCleanupJob[]> {
  const { batchSize, leaseSeconds, now } = { ...defaults, ...options };
  const at = now();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: accountCleanupJobs.id })
      .from(accountCleanupJobs)
      .where(and(eq(accountCleanupJobs.status, "pending"), lte(accountCleanupJobs.nextAttemptAt, at)))
      .orderBy(asc(accountCleanupJobs.nextAttemptAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(accountCleanupJobs)
      .set({
        attempts: sql`${accountCleanupJobs.attempts} + 1`,
        nextAttemptAt: new Date(at.getTime() + leaseSeconds * 1000),
        updatedAt: at,
      })
      .where(
        inArray(
          accountCleanupJobs.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

async function perform(job: AccountCleanupJob): Promise<void> {
  if (job.kind === "stripe") return runStripeCleanup(stripeCleanupPayloadSchema.parse(job.payload));
  return runOpenAICleanup(openAICleanupPayloadSchema.parse(job.payload));
}

function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, 1000) || "unknown error";
}

/** Runs one claimed job and records the outcome: done, or due again after the backoff. */
export async function runClaimedCleanupJob(
  db: Database,
  job: AccountCleanupJob,
  options: CleanupOptions = {},
): Promise<"done" | "retry"> {
  const { now, log } = { ...defaults, ...options };
  // Only the drain holding this claim (same attempt number) may record its outcome.
  const mine = and(
    eq(accountCleanupJobs.id, job.id),
    eq(accountCleanupJobs.attempts, job.attempts),
    eq(accountCleanupJobs.status, "pending"),
  );
  try {
    await perform(job);
  } catch (err) {
    const at = now();
    const error = describeError(err);
    log(
      `[account-cleanup] ${job.kind} clean-up of deleted user ${job.userId} failed (attempt ${job.attempts}): ${error}`,
    );
    await db
      .update(accountCleanupJobs)
      .set({
        lastError: error,
        nextAttemptAt: new Date(at.getTime() + cleanupRetryDelaySeconds(job.attempts, options) * 1000),
        updatedAt: at,
      })
      .where(mine);
    return "retry";
  }
  const at = now();
  // Done: the outside ids it named are forgotten too; the row keeps only kind, user id and dates.
  await db
    .update(accountCleanupJobs)
    .set({ status: "done", payload: {}, doneAt: at, lastError: null, updatedAt: at })
    .where(mine);
  return "done";
}

export type CleanupDrainResult = { done: number; retried: number };

/** Claims and runs batches until nothing is due (or the deadline passes). */
export async function drainAccountCleanupJobs(db: Database, options: CleanupOptions = {}): Promise<CleanupDrainResult> {
  const result: CleanupDrainResult = { done: 0, retried: 0 };
  for (;;) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) return result;
    const batch = await claimDueCleanupJobs(db, options);
    if (batch.length === 0) return result;
    for (const job of batch) {
      if ((await runClaimedCleanupJob(db, job, options)) === "done") result.done++;
      else result.retried++;
    }
  }
}

/** The clean-up queue as a job kind (lib/jobs): run by the cron route, the worker and after a deletion. */
export const accountCleanupJobKind = {
  name: "account-cleanup",
  async runDue(db: Database, deadline: number) {
    const r = await drainAccountCleanupJobs(db, { deadline });
    // A clean-up job never fails for good: it stays due until it succeeds.
    return { done: r.done, retried: r.retried, failed: 0 };
  },
};
