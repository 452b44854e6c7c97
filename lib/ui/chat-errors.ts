/**
 * What the built-in chat says about a failed turn: a dropped connection, a refusal from our
 * server (the per-user turn quota, a bad request), or the assistant's own error event. The
 * server's message is shown when it sent one; Retry is offered only where it may help.
 */
import { CLIENT_ERROR_CODES, ChatKitHttpError, threadErrorOf, type ThreadError } from "@/lib/chatkit-client";

export const RATE_LIMITED = "client.rate_limited";

export type ErrorCopy = { kind: "connection" | "limit" | "server"; title: string; body: string; retry: boolean };

/** The thread error for whatever a request threw (HTTP 429 keeps its own code, so the UI can say "limit"). */
export function chatErrorOf(err: unknown): ThreadError {
  if (err instanceof ChatKitHttpError && err.status === 429) {
    return {
      code: RATE_LIMITED,
      message: err.detail,
      allowRetry: true,
      ...(err.requestId ? { requestId: err.requestId } : {}),
    };
  }
  return threadErrorOf(err);
}

export function describeChatError(error: ThreadError): ErrorCopy {
  if (error.code === CLIENT_ERROR_CODES.connectionCut) {
    return {
      kind: "connection",
      title: "The connection dropped",
      body: "The reply stopped arriving: your network or the server's connection was cut. Anything already written is kept. Check your connection, then retry.",
      retry: true,
    };
  }
  // The per-user turn quota ends the turn with a plain `custom` error event; its wording is ours
  // (lib/rate-limit/quota.ts), so a message about a limit or a pace is shown as a limit.
  const quota = error.code === "custom" && /\blimit\b|faster than/i.test(error.message ?? "");
  if (error.code === RATE_LIMITED || quota || /quota|rate.?limit|too.?many/i.test(error.code)) {
    return {
      kind: "limit",
      title: "You've reached your message limit for now",
      body: error.message || "You have sent too many messages in a short time. Wait a little, then try again.",
      retry: error.allowRetry,
    };
  }
  if (error.code === CLIENT_ERROR_CODES.protocol) {
    return {
      kind: "server",
      title: "The server sent something unexpected",
      body: "The chat could not read the server's answer. Reload the page; if it keeps happening, try again later.",
      retry: true,
    };
  }
  return {
    kind: "server",
    title: "The assistant ran into a problem",
    body: error.message || "Something went wrong while answering.",
    retry: error.allowRetry,
  };
}
