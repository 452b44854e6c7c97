/** POST /chatkit: the caller, the raw body, and our ChatKit server's answer (JSON or SSE). */
import { toResponse } from "@/lib/chatkit/server";
import { requireUser } from "@/lib/auth/require-user";
import { publicBaseUrl } from "@/lib/env";
import { CHATKIT_BODY_LIMIT, readText } from "@/lib/http";
import { assistantServer } from "./server";

export function requestBaseUrl(request: Request): string {
  return publicBaseUrl() ?? new URL(request.url).origin;
}

export async function handleChatKitRequest(request: Request): Promise<Response> {
  const user = await requireUser(request);
  const body = await readText(request, CHATKIT_BODY_LIMIT);
  const result = await assistantServer.process(
    body,
    { userId: user.id, baseUrl: requestBaseUrl(request) },
    { signal: request.signal },
  );
  return toResponse(result);
}
