/** Error types of the ChatKit library. */

export type ChatKitIssue = { path: string; message: string };

/**
 * A request the server refuses before any stream opens. `process()` answers it as JSON
 * `{"detail", "code", "issues"?}` with `status`; hooks may throw it too (e.g. from `syncAction`).
 */
export class ChatKitRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly issues?: ChatKitIssue[];

  constructor(status: number, code: string, detail: string, issues?: ChatKitIssue[]) {
    super(detail);
    this.name = "ChatKitRequestError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    if (issues) this.issues = issues;
  }

  toJSON(): { detail: string; code: string; issues?: ChatKitIssue[] } {
    return this.issues
      ? { detail: this.detail, code: this.code, issues: this.issues }
      : { detail: this.detail, code: this.code };
  }
}

/** Thrown by stores when a thread, item or attachment does not exist for this context. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** Thrown by default hooks the integration has not implemented. */
export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotImplementedError";
  }
}

/** Throw from `respond`/`action` to end the stream with `{"type":"error","code":<code>}` (no message). */
export class StreamError extends Error {
  readonly code: string;
  readonly allowRetry: boolean;
  constructor(code: string = "stream.error", options: { allowRetry?: boolean } = {}) {
    super(`stream error: ${code}`);
    this.name = "StreamError";
    this.code = code;
    this.allowRetry = options.allowRetry ?? code === "stream.error";
  }
}

/** Throw from `respond`/`action` to show `message` verbatim to the user. */
export class CustomStreamError extends Error {
  readonly allowRetry: boolean;
  constructor(message: string, options: { allowRetry?: boolean } = {}) {
    super(message);
    this.name = "CustomStreamError";
    this.allowRetry = options.allowRetry ?? false;
  }
}
