/**
 * What can go wrong talking to a ChatKit server, as distinct classes so a UI can tell the
 * user the right thing: the server refused (HTTP error with our `{detail, code}` body), the
 * connection dropped (nothing the server said, retrying may help), or the server sent
 * something this client cannot read.
 */

/** A non-2xx answer. `code`/`detail` come from the JSON error body when there is one. */
export class ChatKitHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly issues?: { path: string; message: string }[];
  /** The server's id for the request (`request_id`/`x-request-id`), for a person to quote. */
  readonly requestId?: string;

  constructor(
    status: number,
    code: string,
    detail: string,
    issues?: { path: string; message: string }[],
    requestId?: string,
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = "ChatKitHttpError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    if (issues) this.issues = issues;
    if (requestId) this.requestId = requestId;
  }
}

/** Why a stream counts as cut rather than finished (see sse.ts for "clean end"). */
export type StreamCutReason =
  /** The request never got an answer (DNS, refused, offline). */
  | "no_response"
  /** Reading the body failed (reset, proxy timeout, server process died). */
  | "body_error"
  /** The body ended in the middle of a frame. */
  | "mid_frame"
  /** The body ended before any event: our server always sends at least one. */
  | "empty";

/** The connection dropped: the server did not end the stream. Retrying or reloading may help. */
export class StreamCutError extends Error {
  readonly reason: StreamCutReason;

  constructor(reason: StreamCutReason, options?: { cause?: unknown }) {
    super(`The connection to the chat server was cut (${reason}).`, options);
    this.name = "StreamCutError";
    this.reason = reason;
  }
}

/** The server answered with something that is not our protocol (bad JSON, wrong media type). */
export class ChatKitProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ChatKitProtocolError";
  }
}

/** True for the rejection an aborted fetch/stream produces (the user pressed Stop, or navigated). */
export function isAbortError(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    "name" in err &&
    ((err as { name: unknown }).name === "AbortError" || (err as { name: unknown }).name === "TimeoutError")
  );
}
