/**
 * Hosted mode: ChatKit asks for a client secret when it starts (current = null) and again
 * when the secret it holds expires. The first ask mints a session; later asks rotate it
 * through the refresh endpoint, which also cancels the previous session.
 */
import { z } from "zod/mini";
import { ApiError, errorDetail } from "./api";

const sessionAnswerSchema = z.looseObject({
  client_secret: z.string().check(z.minLength(1)),
  session_id: z.string().check(z.minLength(1)),
});

export function createClientSecretGetter(fetchImpl: typeof fetch): (current: string | null) => Promise<string> {
  let sessionId: string | null = null;
  return async (current) => {
    const refresh = current !== null && sessionId !== null;
    const response = await fetchImpl(refresh ? "/api/chatkit/refresh" : "/api/chatkit/session", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(refresh ? { session_id: sessionId } : {}),
    });
    if (!response.ok) {
      throw new ApiError(response.status, await errorDetail(response, "Could not start a chat session."));
    }
    const parsed = sessionAnswerSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ApiError(response.status, "The chat session answer was malformed.");
    sessionId = parsed.data.session_id;
    return parsed.data.client_secret;
  };
}
