/**
 * The request-level helpers of ChatKitServer (server.ts): parsing and validating a body, the
 * input bounds checked before any stream opens, mapping library errors to JSON answers, and
 * turning a result into a web Response.
 */
import { ChatKitRequestError, NotFoundError, NotImplementedError, type ChatKitIssue } from "./errors";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from "./json-depth";
import type { StreamResult } from "./pipeline";
import { ChatKitReq, NON_STREAMING_REQUEST_TYPES, STREAMING_REQUEST_TYPES, type UserMessageInput } from "./types";

export const DEFAULT_PAGE_SIZE = 20;

export type JsonResult = { kind: "json"; status: number; body: string };
export type ProcessResult = JsonResult | StreamResult;

const STREAMING = new Set<string>(STREAMING_REQUEST_TYPES);
const KNOWN = new Set<string>([...STREAMING_REQUEST_TYPES, ...NON_STREAMING_REQUEST_TYPES]);
const decoder = new TextDecoder();

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** Turns a ProcessResult into a web Response (JSON or SSE). */
export function toResponse(result: ProcessResult, extraHeaders: Record<string, string> = {}): Response {
  if (result.kind === "stream")
    return new Response(result.stream, { status: 200, headers: { ...SSE_HEADERS, ...extraHeaders } });
  return new Response(result.body, {
    status: result.status,
    headers: { "content-type": "application/json", ...extraHeaders },
  });
}

/** True for the request types answered with an SSE stream. */
export function isStreamingType(type: string): boolean {
  return STREAMING.has(type);
}

/** Parse and validate a request body; throws ChatKitRequestError (400/422). */
export function parseRequest(body: string | Uint8Array): ChatKitReq {
  const text = typeof body === "string" ? body : decoder.decode(body);
  if (jsonNestsDeeperThan(text)) {
    throw new ChatKitRequestError(400, "json_too_deep", `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ChatKitRequestError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ChatKitRequestError(422, "validation_error", "The request body must be a JSON object.", [
      { path: "", message: "Expected an object" },
    ]);
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== "string") {
    throw new ChatKitRequestError(422, "validation_error", "The request type is missing.", [
      { path: "type", message: "Expected a string" },
    ]);
  }
  if (!KNOWN.has(type)) {
    throw new ChatKitRequestError(422, "unknown_request_type", `Unknown request type: ${type}.`, [
      { path: "type", message: "Unknown request type" },
    ]);
  }
  const parsed = ChatKitReq.safeParse(raw);
  if (!parsed.success) {
    const issues: ChatKitIssue[] = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    }));
    const first = issues[0];
    throw new ChatKitRequestError(
      422,
      "validation_error",
      `Invalid ${type} request${first ? `: ${first.path || "body"}: ${first.message}` : ""}.`,
      issues,
    );
  }
  return parsed.data;
}

/** Input bounds the server enforces before any stream opens (422 with a code naming the bound). */
export type ChatKitServerOptions = {
  /** Most characters of text one user message may carry (its text and tag parts and quoted text together). */
  maxMessageChars?: number;
  /** Most characters of a title `threads.update` accepts. */
  maxTitleChars?: number;
};

function messageChars(input: UserMessageInput): number {
  let n = input.quoted_text?.length ?? 0;
  for (const part of input.content) n += part.text.length;
  return n;
}

/** Refuses a request that exceeds the server's input bounds (see ChatKitServerOptions). */
export function checkInputBounds(req: ChatKitReq, options: ChatKitServerOptions): void {
  const { maxMessageChars, maxTitleChars } = options;
  if ((req.type === "threads.create" || req.type === "threads.add_user_message") && maxMessageChars !== undefined) {
    const n = messageChars(req.params.input);
    if (n > maxMessageChars) {
      const message = `The message is too long: ${n} characters, at most ${maxMessageChars}.`;
      throw new ChatKitRequestError(422, "message_too_long", message, [{ path: "params.input.content", message }]);
    }
  }
  if (req.type === "threads.update" && maxTitleChars !== undefined && req.params.title.length > maxTitleChars) {
    const message = `The title is too long: at most ${maxTitleChars} characters.`;
    throw new ChatKitRequestError(422, "title_too_long", message, [{ path: "params.title", message }]);
  }
}

/** The JSON answer for an input error, or null for a failure that is not the request's fault. */
export function errorResultOf(err: unknown): JsonResult | null {
  const mapped =
    err instanceof ChatKitRequestError
      ? err
      : err instanceof NotFoundError
        ? new ChatKitRequestError(404, "not_found", err.message)
        : err instanceof NotImplementedError
          ? new ChatKitRequestError(501, "not_implemented", err.message)
          : null;
  return mapped && { kind: "json", status: mapped.status, body: JSON.stringify(mapped.toJSON()) };
}

/**
 * Awaits the caller's authorisation together with a request's reads, and answers the
 * authorisation's failure first: an unauthorised caller learns nothing from the reads.
 */
export async function together<T extends readonly unknown[]>(
  authorised: Promise<unknown>,
  ...work: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const [auth, ...rest] = await Promise.allSettled([authorised, ...work]);
  if (auth?.status === "rejected") throw auth.reason;
  return rest.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  }) as unknown as T;
}

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
