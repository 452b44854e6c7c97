/** Session minting is cheap for the caller and costs us OpenAI calls: bound it per user. */
import "server-only";
import { consumeRateLimit } from "@/lib/rate-limit/consume";

export const SESSION_RATE_LIMIT = { limit: 30, windowSeconds: 60 };

/** Session and refresh share one bucket per user; throws the contract's 429 past the limit. */
export function limitSessionRequests(userId: string): Promise<void> {
  return consumeRateLimit(
    `chatkit-session:${userId}`,
    SESSION_RATE_LIMIT,
    "Too many ChatKit session requests; please wait a moment.",
  );
}
