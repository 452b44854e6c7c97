/**
 * The state of one open thread as a chat UI shows it, and the pure reducer that applies
 * stream events to it. Every function returns a new view sharing all it did not change
 * (React compares by reference), and never mutates its input.
 *
 * Besides events, a few requests change the thread on the server WITHOUT an event saying so
 * (retry drops the items after the retried message; a client tool output completes the
 * pending call), so `applyRequest` applies those locally when the request is sent. After a
 * cut connection the server may have saved more than the view saw: reload with
 * `threads.get_by_id` (`threadViewFrom`).
 */
import type {
  ClientToolCallItem,
  ChatKitReq,
  JsonObject,
  Page,
  StreamOptions,
  Thread,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
} from "../chatkit/types";
import { ChatKitHttpError, ChatKitProtocolError, StreamCutError } from "./errors";
import { applyItemUpdate } from "./item-updates";

export type ThreadError = {
  /** The protocol's code (`stream.error`, `custom`, …) or one of CLIENT_ERROR_CODES. */
  code: string;
  /** Show verbatim when set; otherwise the UI's own words for `code`. */
  message: string | null;
  /** The server (or the client, for a dropped connection) says Retry may help. */
  allowRetry: boolean;
  /** The server's id for the failed request, for a person to quote ("Reference: …"). */
  requestId?: string;
};

/** Codes this client uses for failures that are not the server's error events. */
export const CLIENT_ERROR_CODES = {
  /** The connection dropped mid-reply (StreamCutError). */
  connectionCut: "client.connection_cut",
  /** The server answered something that is not our protocol. */
  protocol: "client.protocol",
} as const;

export type Notice = { level: "info" | "warning" | "danger"; message: string; title: string | null };
export type Progress = { icon: string | null; text: string };
export type ClientEffect = { name: string; data: JsonObject };

export type ThreadView = {
  /** The thread's metadata (its `items` live in `items`); null before `thread.created`. */
  thread: ThreadMetadata | null;
  /** Visible items, oldest first. Hidden context items never enter the view. */
  items: ThreadItem[];
  /** More (newer) items exist on the server than `threads.get_by_id` returned. */
  hasMoreItems: boolean;
  /** Cursor for `items.list` to fetch them. */
  itemsAfter: string | null;
  /** A streaming request is in flight (set by applyRequest/startStream, cleared by endStream). */
  streaming: boolean;
  /** The current run's options (`allow_cancel` → show Stop); null outside a run. */
  streamOptions: StreamOptions | null;
  /** The last error of the current/last run; cleared when a new request starts. */
  error: ThreadError | null;
  /** Notices of the current/last run, in arrival order. */
  notices: Notice[];
  /** The latest progress line; cleared by the next item event or the end of the run. */
  progress: Progress | null;
  /** Client effects not yet run; the UI runs them and calls takeEffects. */
  effects: ClientEffect[];
  /** The client tool call the server waits for (answer with threads.add_client_tool_output). */
  pendingClientToolCall: ClientToolCallItem | null;
  /** Progress (0..1) of images still being generated, by item id. */
  imageProgress: Readonly<Record<string, number>>;
};

/** Hidden context is for the model only: `threads.get_by_id` leaves it out, and so does the view. */
export const isHiddenItem = (item: { type: string }): boolean =>
  item.type === "hidden_context_item" || item.type === "sdk_hidden_context";
const isHidden = isHiddenItem;

export function emptyThreadView(): ThreadView {
  return {
    thread: null,
    items: [],
    hasMoreItems: false,
    itemsAfter: null,
    streaming: false,
    streamOptions: null,
    error: null,
    notices: [],
    progress: null,
    effects: [],
    pendingClientToolCall: null,
    imageProgress: {},
  };
}

function metadataOf(thread: Thread): ThreadMetadata {
  const { items: _items, ...meta } = thread;
  return meta;
}

/** The pending client tool call, if the newest item is one (the server only answers that one). */
function pendingCallOf(items: ThreadItem[]): ClientToolCallItem | null {
  const last = items[items.length - 1];
  return last && last.type === "client_tool_call" && last.status === "pending" ? last : null;
}

/** A view of a thread as `threads.get_by_id` returns it. */
export function threadViewFrom(thread: Thread): ThreadView {
  const items = thread.items.data.filter((i) => !isHidden(i));
  return {
    ...emptyThreadView(),
    thread: metadataOf(thread),
    items,
    hasMoreItems: thread.items.has_more,
    itemsAfter: thread.items.after ?? null,
    pendingClientToolCall: pendingCallOf(items),
  };
}

/**
 * The view with the next page of `items.list` (order "asc", `after: view.itemsAfter`) appended:
 * `threads.get_by_id` returns a thread's oldest items first, one page of them.
 */
export function appendItems(view: ThreadView, page: Page<ThreadItem>): ThreadView {
  const known = new Set(view.items.map((i) => i.id));
  const fresh = page.data.filter((i) => !isHidden(i) && !known.has(i.id));
  const next = { ...view, hasMoreItems: page.has_more, itemsAfter: page.has_more ? (page.after ?? null) : null };
  return fresh.length ? withItems(next, [...view.items, ...fresh]) : next;
}

/** Index of the item with this id, searching from the newest (where stream events land). */
function indexOfItem(items: ThreadItem[], id: string): number {
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.id === id) return i;
  return -1;
}

function replaceAt(items: ThreadItem[], index: number, item: ThreadItem): ThreadItem[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

/** Adds or replaces (same id) an item; the one place items enter the view from events. */
function upsert(view: ThreadView, item: ThreadItem): ThreadView {
  if (isHidden(item)) return view;
  const i = indexOfItem(view.items, item.id);
  const items = i < 0 ? [...view.items, item] : replaceAt(view.items, i, item);
  return withItems({ ...view, progress: null }, items);
}

function withItems(view: ThreadView, items: ThreadItem[]): ThreadView {
  const pending = pendingCallOf(items);
  return { ...view, items, pendingClientToolCall: pending };
}

function withoutImageProgress(view: ThreadView, id: string): ThreadView {
  if (!(id in view.imageProgress)) return view;
  const { [id]: _gone, ...rest } = view.imageProgress;
  return { ...view, imageProgress: rest };
}

/** Applies one stream event. Unknown event types leave the view unchanged. */
export function applyEvent(view: ThreadView, event: ThreadStreamEvent): ThreadView {
  switch (event.type) {
    case "thread.created": {
      const items = event.thread.items.data.filter((i) => !isHidden(i));
      const next = { ...view, thread: metadataOf(event.thread) };
      return items.length ? withItems(next, items) : next;
    }
    case "thread.updated":
      // Carries the thread's metadata only (its items page is empty): items stay as they are.
      return { ...view, thread: metadataOf(event.thread) };
    case "thread.item.added":
      return upsert(view, event.item);
    case "thread.item.done":
      return withoutImageProgress(upsert(view, event.item), event.item.id);
    case "thread.item.replaced": {
      const i = indexOfItem(view.items, event.item.id);
      if (i < 0 || isHidden(event.item)) return view;
      return withItems({ ...view, progress: null }, replaceAt(view.items, i, event.item));
    }
    case "thread.item.removed": {
      const i = indexOfItem(view.items, event.item_id);
      if (i < 0) return view;
      const items = view.items.slice();
      items.splice(i, 1);
      return withoutImageProgress(withItems({ ...view, progress: null }, items), event.item_id);
    }
    case "thread.item.updated": {
      const i = indexOfItem(view.items, event.item_id);
      if (i < 0) return view;
      const before = view.items[i]!;
      const after = applyItemUpdate(before, event.update);
      let next = view;
      if (after !== before) {
        // Only the changed slot is replaced; the pending-call check reads the last item only.
        next = { ...view, items: replaceAt(view.items, i, after) };
        if (i === view.items.length - 1) next.pendingClientToolCall = pendingCallOf(next.items);
      }
      if (event.update.type === "generated_image.updated" && event.update.progress != null) {
        next = { ...next, imageProgress: { ...next.imageProgress, [event.item_id]: event.update.progress } };
      }
      return next;
    }
    case "stream_options":
      return { ...view, streamOptions: event.stream_options };
    case "progress_update":
      return { ...view, progress: { icon: event.icon ?? null, text: event.text } };
    case "client_effect":
      return { ...view, effects: [...view.effects, { name: event.name, data: event.data ?? {} }] };
    case "error":
      return {
        ...view,
        progress: null,
        error: { code: event.code ?? "custom", message: event.message ?? null, allowRetry: event.allow_retry ?? false },
      };
    case "notice":
      return {
        ...view,
        notices: [...view.notices, { level: event.level, message: event.message, title: event.title ?? null }],
      };
    default:
      return view;
  }
}

/** Applies events in order (handy for tests and for replaying a recorded stream). */
export function applyEvents(view: ThreadView, events: Iterable<ThreadStreamEvent>): ThreadView {
  let v = view;
  for (const e of events) v = applyEvent(v, e);
  return v;
}

/** A streaming request went out: the previous run's error, notices and progress are over. */
export function startStream(view: ThreadView): ThreadView {
  return { ...view, streaming: true, streamOptions: null, error: null, notices: [], progress: null };
}

/**
 * The stream ended (cleanly, or with `failure` when it was cut or refused). `requestId`, the
 * server's id for the request, goes on its error (a failure, or an error event of the stream).
 */
export function endStream(view: ThreadView, failure?: ThreadError | null, requestId?: string): ThreadView {
  const error = failure ?? view.error;
  return {
    ...view,
    streaming: false,
    streamOptions: null,
    progress: null,
    error: error && requestId && !error.requestId ? { ...error, requestId } : error,
  };
}

/**
 * The local consequences of sending `req`: what the server changes without telling the
 * stream, plus startStream for streaming requests. Call it just before sending.
 */
export function applyRequest(view: ThreadView, req: ChatKitReq): ThreadView {
  switch (req.type) {
    case "threads.create":
      // A new thread: nothing of the previous one carries over.
      return startStream(emptyThreadView());
    case "threads.add_user_message":
    case "threads.custom_action":
    case "threads.add_structured_input":
      return startStream(view);
    case "threads.retry_after_item": {
      // The server deletes every item after the retried user message, silently.
      const i = indexOfItem(view.items, req.params.item_id);
      const next = i < 0 ? view : withItems(view, view.items.slice(0, i + 1));
      return startStream(next);
    }
    case "threads.add_client_tool_output": {
      // The server completes the newest pending call with this output and deletes older
      // pending calls, silently.
      const call = view.pendingClientToolCall;
      let items = view.items.filter((i) => i.type !== "client_tool_call" || i.status !== "pending" || i === call);
      if (call) {
        const done: ClientToolCallItem = { ...call, status: "completed", output: req.params.result };
        items = items.map((i) => (i === call ? done : i));
      }
      return startStream(withItems(view, items));
    }
    case "threads.update":
      return view.thread && view.thread.id === req.params.thread_id
        ? { ...view, thread: { ...view.thread, title: req.params.title } }
        : view;
    default:
      return view;
  }
}

/** The view once the UI has run (or dropped) its pending client effects. */
export function takeEffects(view: ThreadView): ThreadView {
  return view.effects.length ? { ...view, effects: [] } : view;
}

/** The view without the notice at `index` (the user dismissed it). */
export function dismissNotice(view: ThreadView, index: number): ThreadView {
  if (index < 0 || index >= view.notices.length) return view;
  return { ...view, notices: view.notices.filter((_, i) => i !== index) };
}

/** Maps whatever `stream`/`json` threw to the inline error a UI shows. */
export function threadErrorOf(err: unknown): ThreadError {
  if (err instanceof StreamCutError) {
    return { code: CLIENT_ERROR_CODES.connectionCut, message: null, allowRetry: true };
  }
  if (err instanceof ChatKitHttpError) {
    const allowRetry = err.status >= 500 || err.status === 429;
    return { code: err.code, message: err.detail, allowRetry, ...(err.requestId ? { requestId: err.requestId } : {}) };
  }
  if (err instanceof ChatKitProtocolError) {
    return { code: CLIENT_ERROR_CODES.protocol, message: null, allowRetry: true };
  }
  return { code: "stream.error", message: null, allowRetry: true };
}
