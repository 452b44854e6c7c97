/**
 * Refresh: mint a new session, then cancel the previous one if (and only if) it was minted for
 * the same user. Minting first means a failed refresh leaves the old secret working; the cancel
 * is best effort, bounded by a short timeout, and never blocks the new secret.
 */
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatkitSessions } from "@/db/schema";
import { describeOpenAIError, isOpenAINotFound, requireOpenAI } from "@/lib/openai";
import { mintHostedSession, type HostedSessionAnswer } from "./mint";
import type { RefreshRequest } from "./request";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "hosted-sessions" });

const CANCEL_TIMEOUT_MS = 5_000;

export type CancelOutcome = "cancelled" | "not_owned" | "failed";

/** Cancels one of the user's own active sessions; foreign or unknown ids are left alone. */
export async function cancelOwnSession(userId: string, sessionId: string): Promise<CancelOutcome> {
  const db = await getDb();
  const [own] = await db
    .select({ id: chatkitSessions.id })
    .from(chatkitSessions)
    .where(
      and(eq(chatkitSessions.id, sessionId), eq(chatkitSessions.userId, userId), isNull(chatkitSessions.cancelledAt)),
    )
    .limit(1);
  if (!own) return "not_owned";
  try {
    await requireOpenAI().beta.chatkit.sessions.cancel(sessionId, { timeout: CANCEL_TIMEOUT_MS, maxRetries: 0 });
  } catch (err) {
    if (!isOpenAINotFound(err)) {
      log.warn({ session_id: sessionId, error_class: describeOpenAIError(err) }, "cancelling a hosted session failed");
      return "failed";
    }
    // Already gone upstream: record it as cancelled all the same.
  }
  await db.update(chatkitSessions).set({ cancelledAt: new Date() }).where(eq(chatkitSessions.id, sessionId));
  return "cancelled";
}

export async function refreshHostedSession(userId: string, request: RefreshRequest): Promise<HostedSessionAnswer> {
  const answer = await mintHostedSession(userId, request);
  if (request.sessionId && request.sessionId !== answer.session_id) {
    await cancelOwnSession(userId, request.sessionId).catch((err: unknown) => {
      log.warn(
        { session_id: request.sessionId, error_class: describeOpenAIError(err) },
        "cancelling the previous hosted session was skipped",
      );
    });
  }
  return answer;
}
