/**
 * Wire serialisation (PROTOCOL.md §2): compact JSON, nulls omitted, server-only data stripped,
 * SSE framing `data: <json>\n\n`. Every event is serialised exactly once, and only here: the
 * pipeline and the request handlers call these functions rather than writing event JSON.
 */
import { CustomStreamError, StreamError } from "./errors";
import type { Attachment, Page, StreamOptions, ThreadItem, ThreadMetadata, ThreadStreamEvent } from "./types";

/** One shared encoder for all streams. */
export const utf8 = new TextEncoder();

const EMPTY_PAGE = '{"data":[],"has_more":false}';

function dropNulls(_key: string, value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Compact JSON without null-valued keys (recursively). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, dropNulls);
}

export function isHiddenItem(item: { type: string }): boolean {
  return item.type === "hidden_context_item" || item.type === "sdk_hidden_context";
}

function clientAttachment(a: Attachment): Attachment {
  if (a.metadata === undefined) return a;
  const { metadata: _server, ...rest } = a;
  return rest as Attachment;
}

/** The client view of an item: attachment metadata removed (other fields as stored). */
export function clientItem(item: ThreadItem): ThreadItem {
  if (item.type !== "user_message" || item.attachments.length === 0) return item;
  let changed = false;
  for (const a of item.attachments) if (a.metadata !== undefined) changed = true;
  if (!changed) return item;
  return { ...item, attachments: item.attachments.map(clientAttachment) };
}

export function clientAttachmentJson(a: Attachment): string {
  return toJson(clientAttachment(a));
}

function threadHead(t: ThreadMetadata): string {
  // Only these fields reach the client; stored metadata never does.
  let s = '{"id":' + JSON.stringify(t.id);
  if (t.title != null) s += ',"title":' + JSON.stringify(t.title);
  s += ',"created_at":' + JSON.stringify(t.created_at);
  s += ',"status":' + toJson(t.status ?? { type: "active" });
  if (t.allowed_image_domains != null) s += ',"allowed_image_domains":' + toJson(t.allowed_image_domains);
  return s + ',"metadata":{}';
}

export function threadJson(t: ThreadMetadata, items?: Page<ThreadItem>): string {
  return threadHead(t) + ',"items":' + (items ? pageJson(items, itemJsonForPage) : EMPTY_PAGE) + "}";
}

function itemJsonForPage(item: ThreadItem): string {
  return toJson(clientItem(item));
}

export function pageJson<T>(page: Page<T>, one: (value: T) => string): string {
  let s = '{"data":[';
  for (let i = 0; i < page.data.length; i++) {
    if (i) s += ",";
    s += one(page.data[i] as T);
  }
  s += '],"has_more":' + (page.has_more ? "true" : "false");
  if (page.has_more && page.after != null) s += ',"after":' + JSON.stringify(page.after);
  return s + "}";
}

export function itemPageJson(page: Page<ThreadItem>): string {
  return pageJson(page, itemJsonForPage);
}

export function threadPageJson(page: Page<ThreadMetadata>): string {
  return pageJson(page, (t) => threadJson(t));
}

/** A text delta's `thread.item.updated` event, hand-built: it is the hot path (no replacer walk, no objects). */
export function textDeltaJson(itemId: string, contentIndex: number, delta: string): string {
  return (
    '{"type":"thread.item.updated","item_id":' +
    JSON.stringify(itemId) +
    ',"update":{"type":"assistant_message.content_part.text_delta","content_index":' +
    contentIndex +
    ',"delta":' +
    JSON.stringify(delta) +
    "}}"
  );
}

/** Serialise one stream event to its compact JSON line (without SSE framing). */
export function eventJson(e: ThreadStreamEvent): string {
  switch (e.type) {
    case "thread.item.updated": {
      const u = e.update;
      if (u.type === "assistant_message.content_part.text_delta")
        return textDeltaJson(e.item_id, u.content_index, u.delta);
      return toJson(e);
    }
    case "thread.created":
    case "thread.updated":
      return '{"type":"' + e.type + '","thread":' + threadJson(e.thread) + "}";
    case "thread.item.added":
    case "thread.item.done":
    case "thread.item.replaced":
      return '{"type":"' + e.type + '","item":' + toJson(clientItem(e.item)) + "}";
    case "error":
      return toJson({
        type: "error",
        code: e.code ?? "custom",
        message: e.message,
        allow_retry: e.allow_retry ?? false,
      });
    case "client_effect":
      return toJson({ type: "client_effect", name: e.name, data: e.data ?? {} });
    default:
      return toJson(e);
  }
}

/** The `thread.updated` event of a thread whose title, status or metadata changed. */
export function threadUpdatedJson(thread: ThreadMetadata): string {
  return '{"type":"thread.updated","thread":' + threadJson(thread) + "}";
}

/** The `stream_options` event every stream opens with. */
export function streamOptionsJson(options: StreamOptions): string {
  return '{"type":"stream_options","stream_options":' + toJson(options) + "}";
}

/** The generic `error` event (`stream.error`): a failure the client is not told the details of. */
export function streamErrorJson(allowRetry: boolean): string {
  return '{"type":"error","code":"stream.error","allow_retry":' + (allowRetry ? "true" : "false") + "}";
}

/** The `error` event for a failure: a CustomStreamError's message, a StreamError's code, else `stream.error`. */
export function errorEventJson(err: unknown): string {
  if (err instanceof CustomStreamError) {
    return toJson({ type: "error", code: "custom", message: err.message, allow_retry: err.allowRetry });
  }
  if (err instanceof StreamError) return toJson({ type: "error", code: err.code, allow_retry: err.allowRetry });
  return streamErrorJson(true);
}

/** The answer of `threads.sync_custom_action`: the updated item when the action returned one. */
export function syncActionJson(item: ThreadItem | null | undefined): string {
  return item ? '{"updated_item":' + toJson(clientItem(item)) + "}" : "{}";
}

/** `data: <json>\n\n` as UTF-8 bytes. */
export function sseFrame(json: string): Uint8Array {
  return utf8.encode("data: " + json + "\n\n");
}
