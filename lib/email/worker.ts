/**
 * Delivery side of the outbound email queue. Each worker claims due rows with
 * `FOR UPDATE SKIP LOCKED` and leases them (next_attempt_at moves into the future) in one short
 * transaction, then sends outside it; so any number of workers never send one email twice, and a
 * worker that dies mid-send only delays its emails until the lease runs out.
 */
import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { outboundEmails, type OutboundEmail } from "@/db/schema";
import type { EmailTransport } from "./transport";
import { logger } from "@/lib/observability/logger";

const workerLog = logger.child({ component: "email-worker" });

export type WorkerOptions = {
  batchSize?: number;
  /** How long a claimed email stays invisible to other workers while it is being sent. */
  leaseSeconds?: number;
  maxAttempts?: number;
  /** Delay before retry n (1-based): base · 2^(n-1), capped. */
  backoffBaseSeconds?: number;
  backoffMaxSeconds?: number;
  now?: () => Date;
  /** Stop claiming new batches once Date.now() reaches this (epoch ms); claimed emails are still sent. */
  deadline?: number;
};

const defaults = {
  batchSize: 10,
  leaseSeconds: 300,
  maxAttempts: 6,
  backoffBaseSeconds: 30,
  backoffMaxSeconds: 3600,
  now: () => new Date(),
} satisfies Required<Omit<WorkerOptions, "deadline">>;

export function retryDelaySeconds(attempt: number, options: WorkerOptions = {}): number {
  const base = options.backoffBaseSeconds ?? defaults.backoffBaseSeconds;
  const max = options.backoffMaxSeconds ?? defaults.backoffMaxSeconds;
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/** Claims up to batchSize due emails for this worker and counts the attempt. */
export async function claimDueEmails(db: Database, options: WorkerOptions = {}): Promise<OutboundEmail[]> {
  const { batchSize, leaseSeconds, now } = { ...defaults, ...options };
  const at = now();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outboundEmails.id })
      .from(outboundEmails)
      .where(and(eq(outboundEmails.status, "pending"), lte(outboundEmails.nextAttemptAt, at)))
      .orderBy(asc(outboundEmails.nextAttemptAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outboundEmails)
      .set({
        attempts: sql`${outboundEmails.attempts} + 1`,
        nextAttemptAt: new Date(at.getTime() + leaseSeconds * 1000),
        updatedAt: at,
      })
      .where(
        inArray(
          outboundEmails.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, 1000) || "unknown error";
}

/** Sends one claimed email and records the outcome (sent, retry later, or failed for good). */
export async function deliverClaimed(
  db: Database,
  transport: EmailTransport,
  email: OutboundEmail,
  options: WorkerOptions = {},
): Promise<"sent" | "retry" | "failed"> {
  const { maxAttempts, now } = { ...defaults, ...options };
  // Only the worker holding this claim (same attempt number) may record its outcome.
  const mine = and(
    eq(outboundEmails.id, email.id),
    eq(outboundEmails.attempts, email.attempts),
    eq(outboundEmails.status, "pending"),
  );
  try {
    await transport.send({ to: email.toAddress, subject: email.subject, text: email.body });
  } catch (err) {
    const at = now();
    const final = email.attempts >= maxAttempts;
    await db
      .update(outboundEmails)
      .set({
        status: final ? "failed" : "pending",
        lastError: describeError(err),
        nextAttemptAt: new Date(at.getTime() + retryDelaySeconds(email.attempts, options) * 1000),
        updatedAt: at,
      })
      .where(mine);
    return final ? "failed" : "retry";
  }
  const at = now();
  await db.update(outboundEmails).set({ status: "sent", sentAt: at, lastError: null, updatedAt: at }).where(mine);
  return "sent";
}

export type DrainResult = { sent: number; retried: number; failed: number };

/** Claims and delivers batches until nothing is due (or the deadline passes). */
export async function drainEmailQueue(
  db: Database,
  transport: EmailTransport,
  options: WorkerOptions = {},
): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) return result;
    const batch = await claimDueEmails(db, options);
    if (batch.length === 0) return result;
    for (const email of batch) {
      const outcome = await deliverClaimed(db, transport, email, options);
      if (outcome === "sent") result.sent++;
      else if (outcome === "retry") result.retried++;
      else result.failed++;
    }
  }
}

/** Drains, then polls every pollMs until the signal aborts. */
export async function runEmailWorker(
  db: Database,
  transport: EmailTransport,
  {
    signal,
    pollMs = 2000,
    log = (line: string) => workerLog.info(line),
    alsoDrain,
    ...options
  }: WorkerOptions & {
    signal: AbortSignal;
    pollMs?: number;
    log?: (line: string) => void;
    /** Other queues worked off on the same loop, after the emails (e.g. deleted accounts' clean-up). */
    alsoDrain?: () => Promise<void>;
  },
): Promise<void> {
  while (!signal.aborted) {
    try {
      const r = await drainEmailQueue(db, transport, options);
      if (r.sent || r.retried || r.failed) log(`[email-worker] sent ${r.sent}, retry ${r.retried}, failed ${r.failed}`);
      await alsoDrain?.();
    } catch (err) {
      // The database may be briefly unreachable; keep the worker alive and try again.
      log(`[email-worker] drain failed: ${describeError(err)}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
