/** POST /chatkit: the caller, the raw body, and our ChatKit server's answer (JSON or SSE). */
import "server-only";
import { toResponse } from "@/lib/chatkit/server";
import { requireUserAlongside } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { deferAccessLog } from "@/lib/http/respond";
import { CHATKIT_BODY_LIMIT, linkBaseUrl, readText, rejectForgedWrite } from "@/lib/http";
import { keepAlive } from "@/lib/jobs";
import { logChatTurn, noteChatkitType, withRequestIdInError } from "./observe";
import { assistantServer } from "./server";
import { startTurnDeadline } from "./turn-deadline";

export async function handleChatKitRequest(request: Request): Promise<Response> {
  // proxy.ts leaves this hot path alone (running it costs milliseconds per request): the same
  // cross-site check runs here instead.
  const forged = rejectForgedWrite(request);
  if (forged) return forged;
  // The credentials' signature is checked now; the server starts the user-row check together
  // with the request's own reads, so they share one database round trip, and writes, streams
  // and answers nothing before it has passed.
  const caller = await requireUserAlongside(request);
  const body = await readText(request, CHATKIT_BODY_LIMIT).catch(async (err: unknown) => {
    await caller.confirm(); // an unauthorised caller gets the 401 rather than a body error
    throw err;
  });
  const reached = { url: request.url };
  const deadline = startTurnDeadline(getEnv().chatkit.turnDeadlineMs);
  const result = await assistantServer
    .process(
      body,
      {
        userId: caller.userId,
        // Read only when a link is made (an attachment's upload URL): a production site without a
        // configured URL still chats, and refuses just that. Only the URL is kept, not the request.
        get baseUrl() {
          return linkBaseUrl(reached);
        },
        deadline: deadline.signal,
      },
      { signal: request.signal, authorised: caller.confirm, onRequestType: noteChatkitType },
    )
    .catch((err: unknown) => {
      deadline.clear();
      throw err;
    });
  if (result.kind === "json") {
    deadline.clear();
    return toResponse(withRequestIdInError(result));
  }
  // The stream's store writes, or the cleanup after Stop, finish after the response: keep the
  // function alive for them. The deadline's timer goes once the turn is over; the request's
  // access line is written then, saying how the turn went.
  keepAlive("chatkit stream", logChatTurn(result.done.finally(deadline.clear)));
  return deferAccessLog(toResponse(result));
}
