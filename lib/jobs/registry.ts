/**
 * Queued background work without a worker process. Each job kind keeps its own table and claims
 * due rows so that any number of concurrent drains never run one job twice (see lib/email/worker.ts
 * for the pattern). `drainDueJobs` runs every kind within a time budget; it is called by the cron
 * route (app/api/cron/jobs), right after a request that queued work (`drainJobsAfterResponse`),
 * and by long-running workers on servers. To add a kind, append it to JOB_KINDS.
 */
import "server-only";
import type { Database } from "@/db/types";
import { accountCleanupJobKind } from "@/lib/account/cleanup-jobs";
import { checkoutSweepJobKind } from "@/lib/billing/checkout-expiry";
import { emailJobs } from "@/lib/email/jobs";
import { memoryFileCheckJobKind } from "@/lib/memory/file-checks";

export type JobRunResult = { done: number; retried: number; failed: number };

export type JobKind = {
  name: string;
  /** Handle due jobs until none is left or Date.now() reaches `deadline` (epoch ms); in-flight ones finish. */
  runDue(db: Database, deadline: number): Promise<JobRunResult>;
  /** Run by the cron route and the worker only, never by the drain after a request (work not queued by one). */
  scheduledOnly?: boolean;
};

export const JOB_KINDS: readonly JobKind[] = [
  emailJobs,
  accountCleanupJobKind,
  memoryFileCheckJobKind,
  checkoutSweepJobKind,
];

export type DrainReport = {
  kinds: Record<string, JobRunResult | { error: string }>;
  /** True when the budget ran out before every kind was drained. */
  outOfTime: boolean;
};

/** Runs every kind's due jobs, one kind after another, stopping when the budget is spent. */
export async function drainDueJobs(
  db: Database,
  { budgetMs, kinds = JOB_KINDS }: { budgetMs: number; kinds?: readonly JobKind[] },
): Promise<DrainReport> {
  const deadline = Date.now() + budgetMs;
  const report: DrainReport = { kinds: {}, outOfTime: false };
  for (const kind of kinds) {
    if (Date.now() >= deadline) {
      report.outOfTime = true;
      break;
    }
    try {
      report.kinds[kind.name] = await kind.runDue(db, deadline);
    } catch (err) {
      // One kind failing (its table locked, its transport down) must not starve the others.
      report.kinds[kind.name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  if (Date.now() >= deadline) report.outOfTime = true;
  return report;
}
