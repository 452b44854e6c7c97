/** POST /chatkit: the caller, the raw body, and our ChatKit server's answer (JSON or SSE). */
import { toResponse } from "@/lib/chatkit/server";
import { requireUserAlongside } from "@/lib/auth/require-user";
import { getEnv, publicBaseUrl } from "@/lib/env";
import { CHATKIT_BODY_LIMIT, readText } from "@/lib/http";
import { keepAlive } from "@/lib/jobs";
import { assistantServer } from "./server";

export function requestBaseUrl(request: Request): string {
  return publicBaseUrl() ?? new URL(request.url).origin;
}

export async function handleChatKitRequest(request: Request): Promise<Response> {
  // The user-row check runs while the body is read and the request's own reads are made:
  // the server writes, streams and answers nothing before it has passed.
  const caller = await requireUserAlongside(request);
  const body = await readText(request, CHATKIT_BODY_LIMIT).catch(async (err: unknown) => {
    await caller.confirmed; // an unauthorised caller gets the 401 rather than a body error
    throw err;
  });
  const result = await assistantServer.process(
    body,
    {
      userId: caller.userId,
      baseUrl: requestBaseUrl(request),
      deadline: AbortSignal.timeout(getEnv().chatkit.turnDeadlineMs),
    },
    { signal: request.signal, authorised: caller.confirmed },
  );
  // The stream's store writes, or the cleanup after Stop, finish after the response: keep the function alive for them.
  if (result.kind === "stream") keepAlive("chatkit stream", result.done);
  return toResponse(result);
}
