/** Background jobs: the registry and drain (registry.ts), work after the response (after-response.ts). */
import "server-only";
import { getDb } from "@/db/client";
import { runAfterResponse } from "./after-response";
import { drainDueJobs, JOB_KINDS } from "./registry";

export { keepAlive } from "./after-response";
export { drainDueJobs, JOB_KINDS, type JobKind } from "./registry";

/** Budget of the best-effort drain after a request that queued work; the cron route catches what it leaves. */
export const KICK_BUDGET_MS = 10_000;

/** What a request may have queued: every kind but the scheduled sweeps. */
const QUEUED_KINDS = JOB_KINDS.filter((kind) => !kind.scheduledOnly);

/**
 * Deliver what a request just queued without waiting for the cron: a short drain after the
 * response. Call it after the transaction that queued the job has committed.
 */
export function drainJobsAfterResponse(): void {
  runAfterResponse("job drain", drainJobsNow);
}

/**
 * The same short drain, started now. For work that itself runs after the response (where a
 * nested `after()` may start before that work's transaction has committed): call it once the
 * work has finished.
 */
export async function drainJobsNow(): Promise<unknown> {
  return drainDueJobs(await getDb(), { budgetMs: KICK_BUDGET_MS, kinds: QUEUED_KINDS });
}
