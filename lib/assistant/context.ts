/** The per-request context our ChatKit server hands to every hook and store call. */
import "server-only";
export type AssistantContext = {
  userId: string;
  /** Origin of the request, for absolute URLs we hand out (upload and preview links). */
  baseUrl: string;
  /** Aborts when the whole turn has run too long (CHATKIT_TURN_DEADLINE_SECONDS). */
  deadline?: AbortSignal;
};
