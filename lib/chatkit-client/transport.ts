/**
 * Sends requests to a ChatKit endpoint over fetch. Streaming requests come back as an async
 * generator of events, JSON requests as their parsed body; every failure is one of the
 * classes in errors.ts, so a UI can send a 401 to sign-in, show the server's `detail`, or
 * say the connection dropped.
 *
 * The protocol has no cancel request: stopping a reply is aborting its HTTP request (the
 * server then runs its cancellation path and keeps the partial reply).
 */
import type { NonStreamingReq, StreamingReq, ThreadStreamEvent } from "../chatkit/types";
import { ChatKitHttpError, ChatKitProtocolError, StreamCutError, isAbortError } from "./errors";
import type { JsonResponseOf } from "./requests";
import { readEventStream } from "./sse";

export type HeadersSource = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

export type ChatKitClientOptions = {
  /** The endpoint, e.g. "/chatkit". */
  url: string;
  /** Defaults to the global fetch (bound, so browsers do not throw "Illegal invocation"). */
  fetch?: typeof fetch;
  /** Sent with every request; a function is called per request (e.g. to add a fresh token). */
  headers?: HeadersSource;
};

export type CallOptions = {
  signal?: AbortSignal;
  /** Told the server's id for the request (its `x-request-id` header) as soon as the answer arrives. */
  onRequestId?: (requestId: string) => void;
};

export type ChatKitClient = {
  /** Sends a streaming request and yields its events until the server ends the stream. */
  stream(req: StreamingReq, opts?: CallOptions): AsyncGenerator<ThreadStreamEvent, void, undefined>;
  /**
   * Sends a JSON request; the answer's type follows from the request
   * (or name it: `json<Thread>(req)`).
   */
  json<T = never, R extends NonStreamingReq = NonStreamingReq>(
    req: R,
    opts?: CallOptions,
  ): Promise<[T] extends [never] ? JsonResponseOf<R> : T>;
};

/** Reads our error contract `{detail, code, issues?}` from a non-2xx answer, tolerating anything else. */
export async function httpErrorOf(res: Response): Promise<ChatKitHttpError> {
  const headerId = res.headers.get("x-request-id") ?? undefined;
  let text = "";
  try {
    text = await res.text();
  } catch {
    /* body unreadable: status alone must do */
  }
  try {
    const body = JSON.parse(text) as { detail?: unknown; code?: unknown; issues?: unknown; request_id?: unknown };
    if (body && typeof body === "object") {
      const code = typeof body.code === "string" ? body.code : `http_${res.status}`;
      const detail = typeof body.detail === "string" ? body.detail : res.statusText || `HTTP ${res.status}`;
      const issues = Array.isArray(body.issues) ? (body.issues as { path: string; message: string }[]) : undefined;
      const requestId = typeof body.request_id === "string" ? body.request_id : headerId;
      return new ChatKitHttpError(res.status, code, detail, issues, requestId);
    }
  } catch {
    /* not JSON (a proxy's HTML page, an empty body) */
  }
  return new ChatKitHttpError(
    res.status,
    `http_${res.status}`,
    res.statusText || `HTTP ${res.status}`,
    undefined,
    headerId,
  );
}

function mediaType(res: Response): string {
  return (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

export function createChatKitClient(options: ChatKitClientOptions): ChatKitClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(req: StreamingReq | NonStreamingReq, accept: string, { signal, onRequestId }: CallOptions) {
    const extra = typeof options.headers === "function" ? await options.headers() : options.headers;
    const headers = new Headers(extra);
    headers.set("content-type", "application/json");
    headers.set("accept", accept);
    let res: Response;
    try {
      res = await doFetch(options.url, { method: "POST", headers, body: JSON.stringify(req), signal });
    } catch (cause) {
      if (signal?.aborted || isAbortError(cause)) throw cause;
      throw new StreamCutError("no_response", { cause });
    }
    const requestId = res.headers.get("x-request-id");
    if (requestId) onRequestId?.(requestId);
    if (!res.ok) throw await httpErrorOf(res);
    return res;
  }

  return {
    async *stream(req, opts = {}) {
      const res = await send(req, "text/event-stream", opts);
      if (mediaType(res) !== "text/event-stream" || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        throw new ChatKitProtocolError(`Expected an event stream, got "${mediaType(res) || "no body"}".`);
      }
      yield* readEventStream(res.body, { signal: opts.signal });
    },

    async json(req, opts = {}) {
      const res = await send(req, "application/json", opts);
      let text: string;
      try {
        text = await res.text();
      } catch (cause) {
        if (opts.signal?.aborted || isAbortError(cause)) throw cause;
        throw new StreamCutError("body_error", { cause });
      }
      try {
        return JSON.parse(text);
      } catch (cause) {
        throw new ChatKitProtocolError(`Expected JSON, got: ${text.slice(0, 80)}`, { cause });
      }
    },
  };
}
