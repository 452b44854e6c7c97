/**
 * Work that outlives the response. Inside a request, Next's `after()` keeps the function alive
 * until it settles (on Vercel through waitUntil, so the platform does not freeze it first);
 * fire-and-forget promises would be cut off. Outside a request (scripts, direct calls in tests)
 * there is no response to outlive: `keepAlive` just lets the work run, `runAfterResponse` skips it.
 */
import "server-only";
import { after } from "next/server";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "jobs" });

/** Register work already under way, so the platform waits for it. Never throws; failures are logged. */
export function keepAlive(label: string, work: Promise<unknown>): void {
  const settled = work.then(
    () => undefined,
    (err: unknown) => log.error({ job: label, err }, "work after the response failed"),
  );
  try {
    after(settled);
  } catch {
    // Not inside a request: nothing to extend.
  }
}

/**
 * Start `task` once the response has been sent (its transaction committed, its client served).
 * Returns false when called outside a request, where the task is not run.
 */
export function runAfterResponse(label: string, task: () => Promise<unknown>): boolean {
  try {
    after(() => task().catch((err: unknown) => log.error({ job: label, err }, "work after the response failed")));
    return true;
  } catch {
    return false;
  }
}
