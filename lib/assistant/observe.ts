/**
 * What POST /chatkit adds to the request's log line (lib/observability): its ChatKit request
 * type, and for a streamed turn the time to its first event, its duration and its outcome
 * (completed, cancelled, a model error's class, a quota refusal), written when the stream ends.
 */
import "server-only";
import type { JsonResult, StreamEnd } from "@/lib/chatkit/server";
import { logAccess } from "@/lib/http/respond";
import { subscribeDiagnostics } from "@/lib/chatkit/diagnostics";
import { logger } from "@/lib/observability/logger";
import {
  currentRequestContext,
  noteFirstEvent,
  noteOutcomeIfUnset,
  noteRequest,
} from "@/lib/observability/request-context";
import { recordTurn } from "@/lib/observability/metrics";

const chatkitLog = logger.child({ component: "chatkit" });

// What the ChatKit pipeline reports goes into the request's log line (lib/chatkit imports nothing of ours).
subscribeDiagnostics({
  error: (message, err) => chatkitLog.error({ err }, message),
  firstEvent: noteFirstEvent,
  failed: (errorClass, options) =>
    options?.ifUnset ? noteOutcomeIfUnset("error", errorClass) : noteRequest({ outcome: "error", errorClass }),
});

/** ProcessOptions.onRequestType: one module-level function, no closure per request. */
export function noteChatkitType(type: string): void {
  noteRequest({ chatkitType: type });
}

/** A ChatKit input error (JSON 4xx) carries the request's id like every error body. */
export function withRequestIdInError(result: JsonResult): JsonResult {
  const requestId = currentRequestContext()?.requestId;
  if (result.status < 400 || !requestId) return result;
  const body = JSON.parse(result.body) as Record<string, unknown>;
  return { ...result, body: JSON.stringify({ ...body, request_id: requestId }) };
}

/**
 * The turn's access line (and its server span's end) once its stream has ended, with its outcome:
 * cancelled (Stop), what the pipeline noted on a failure, else completed. Settles when written
 * (never rejects for it).
 */
export async function logChatTurn(done: Promise<StreamEnd>): Promise<void> {
  const end = await done;
  const context = currentRequestContext();
  const outcome = end === "cancelled" ? "cancelled" : (context?.outcome ?? (end === "failed" ? "error" : "completed"));
  const errorClass = outcome !== "completed" && outcome !== "cancelled" ? context?.errorClass : undefined;
  const firstEventMs = context?.firstEventMs;
  recordTurn(outcome, firstEventMs);
  if (!context) return;
  noteRequest({ outcome, errorClass });
  await logAccess(context, 200, {
    outcome,
    ...(errorClass ? { error_class: errorClass } : {}),
    ...(firstEventMs !== undefined ? { first_event_ms: firstEventMs } : {}),
  });
}
