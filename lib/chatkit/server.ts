/**
 * ChatKitServer: parses a request body, dispatches it, persists through a Store and streams
 * events as SSE bytes. Subclass it and implement `respond` (and optionally `action`,
 * `syncAction`, `addFeedback`, `transcribe`, `getStreamOptions`, `handleStreamCancelled`).
 */
import {
  ChatKitRequestError,
  CustomStreamError,
  NotFoundError,
  NotImplementedError,
  StreamError,
  type ChatKitIssue,
} from "./errors";
import {
  clientAttachmentJson,
  clientItem,
  eventJson,
  isHiddenItem,
  itemPageJson,
  threadJson,
  threadPageJson,
  toJson,
  utf8,
} from "./serialize";
import { nowIso, type AttachmentStore, type Store } from "./store";
import {
  ChatKitReq,
  NON_STREAMING_REQUEST_TYPES,
  STREAMING_REQUEST_TYPES,
  type Action,
  type Attachment,
  type AssistantMessageItem,
  type FeedbackKind,
  type NonStreamingReq,
  type StreamOptions,
  type StreamingReq,
  type StructuredInputItem,
  type StructuredInputSubmission,
  type SyncCustomActionResponse,
  type ThreadItem,
  type ThreadItemUpdate,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type TranscriptionResult,
  type UserMessageInput,
  type UserMessageItem,
  type WidgetItem,
  type WorkflowItem,
} from "./types";

export const DEFAULT_PAGE_SIZE = 20;
export const CANCELLED_STREAM_NOTE = "The user cancelled the stream. Stop responding to the prior request.";

export type ProcessOptions = {
  /** Abort when the client goes away (e.g. `request.signal`); runs the cancellation path (§6.5). */
  signal?: AbortSignal;
};

export type JsonResult = { kind: "json"; status: number; body: string };
export type StreamResult = {
  kind: "stream";
  stream: ReadableStream<Uint8Array>;
  /** Settles when the pipeline (or the cancellation cleanup) has finished all its store writes. */
  done: Promise<void>;
};
export type ProcessResult = JsonResult | StreamResult;

/** Passed to `respond`/`action`: the signal aborts when the client disconnects. */
export type RunControl = { signal: AbortSignal };

export type AudioInput = {
  data: Uint8Array;
  /** As sent, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  /** The part before `;`, e.g. `audio/webm`. */
  mediaType: string;
};

export type ProducerStream = AsyncIterable<ThreadStreamEvent>;

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
  if (result.kind === "stream") return new Response(result.stream, { status: 200, headers: { ...SSE_HEADERS, ...extraHeaders } });
  return new Response(result.body, {
    status: result.status,
    headers: { "content-type": "application/json", ...extraHeaders },
  });
}

/** Parse and validate a request body; throws ChatKitRequestError (400/422). */
export function parseRequest(body: string | Uint8Array): ChatKitReq {
  const text = typeof body === "string" ? body : decoder.decode(body);
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
    const issues: ChatKitIssue[] = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
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

function requestErrorOf(err: unknown): ChatKitRequestError | null {
  if (err instanceof ChatKitRequestError) return err;
  if (err instanceof NotFoundError) return new ChatKitRequestError(404, "not_found", err.message);
  if (err instanceof NotImplementedError) return new ChatKitRequestError(501, "not_implemented", err.message);
  return null;
}

function errorResult(err: ChatKitRequestError): JsonResult {
  return { kind: "json", status: err.status, body: JSON.stringify(err.toJSON()) };
}

function errorEventJson(err: unknown): string {
  if (err instanceof CustomStreamError) {
    return toJson({ type: "error", code: "custom", message: err.message, allow_retry: err.allowRetry });
  }
  if (err instanceof StreamError) return toJson({ type: "error", code: err.code, allow_retry: err.allowRetry });
  return '{"type":"error","code":"stream.error","allow_retry":true}';
}

/** Runs `fn` once the current burst of work (and its microtasks) is over. */
const nextTurn: (fn: () => void) => void =
  typeof setImmediate === "function" ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == b; // null and undefined both mean "unset"
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) if (!sameJson(ao[k], bo[k])) return false;
  for (const k in bo) if (!(k in ao) && bo[k] != null) return false;
  return true;
}

const emptyPart = () => ({ type: "output_text" as const, text: "", annotations: [] });

/** Applies an item update to a pending (not yet done) item copy, as the client would (§5.2). */
export function applyItemUpdate(item: ThreadItem, update: ThreadItemUpdate): void {
  if (item.type === "assistant_message") {
    if (!update.type.startsWith("assistant_message.")) return;
    const u = update as Extract<ThreadItemUpdate, { content_index: number }>;
    const content = item.content;
    while (content.length <= u.content_index) content.push(emptyPart());
    const part = content[u.content_index]!;
    switch (update.type) {
      case "assistant_message.content_part.text_delta":
        part.text += update.delta;
        break;
      case "assistant_message.content_part.added":
      case "assistant_message.content_part.done":
        content[update.content_index] = { ...update.content, annotations: [...(update.content.annotations ?? [])] };
        break;
      case "assistant_message.content_part.annotation_added": {
        const list = (part.annotations ??= []);
        if (update.annotation_index < list.length) list.splice(update.annotation_index, 0, update.annotation);
        else list.push(update.annotation);
        break;
      }
    }
  } else if (item.type === "workflow") {
    if (update.type === "workflow.task.added") item.workflow.tasks.push(update.task);
    else if (update.type === "workflow.task.updated") item.workflow.tasks[update.task_index] = update.task;
  }
}

/** Deep copy of a structured-input item with a submission applied (§3.5). */
export function applyStructuredInput(item: StructuredInputItem, submission: StructuredInputSubmission): StructuredInputItem {
  const updated = structuredClone(item);
  const skippedAll = submission.status === "skipped";
  for (const q of updated.inputs) {
    const a = submission.answers[q.id];
    if (skippedAll || !a || a.skipped || a.values.length === 0) {
      q.answer = { values: [], skipped: true };
    } else {
      const values = q.type === "multiple_choice" && !q.multiple ? a.values.slice(0, 1) : [...a.values];
      q.answer = { values, skipped: false };
    }
  }
  updated.status = submission.status;
  return updated;
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type Prepared = {
  thread: ThreadMetadata;
  /** Pre-serialised events sent before the pipeline (e.g. thread.created, the user message). */
  prefix: string[];
  /** null ⇒ no pipeline (only the prefix). */
  producer: ((run: RunControl) => ProducerStream) | null;
};

export abstract class ChatKitServer<TContext> {
  constructor(
    readonly store: Store<TContext>,
    readonly attachmentStore: AttachmentStore<TContext> | null = null,
  ) {}

  // ----------------------------------------------------------------------------- hooks

  /** Produce the assistant's turn. `input` is null when continuing (tool output, structured input). */
  abstract respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: TContext,
    run: RunControl,
  ): ProducerStream;

  /** Streaming custom (widget) action. Default: not implemented (becomes an `error` event). */
  async *action(
    _thread: ThreadMetadata,
    _action: Action,
    _sender: WidgetItem | null,
    _context: TContext,
    _run: RunControl,
  ): ProducerStream {
    throw new NotImplementedError("The action() method must be overridden to handle custom actions");
  }

  /** Non-streaming custom action; the returned item is not persisted by the core. */
  async syncAction(
    _thread: ThreadMetadata,
    _action: Action,
    _sender: WidgetItem | null,
    _context: TContext,
  ): Promise<SyncCustomActionResponse> {
    throw new NotImplementedError("This server does not handle synchronous custom actions");
  }

  async addFeedback(_threadId: string, _itemIds: string[], _kind: FeedbackKind, _context: TContext): Promise<void> {}

  async transcribe(_audio: AudioInput, _context: TContext): Promise<TranscriptionResult> {
    throw new NotImplementedError("This server does not support dictation");
  }

  getStreamOptions(_thread: ThreadMetadata, _context: TContext): StreamOptions {
    return { allow_cancel: true };
  }

  /**
   * Called when `respond`/`action` throws (not on cancellation), before the `error` event.
   * Items returned are stored and sent as `thread.item.done` first — e.g. to keep the text an
   * assistant message had received. `pendingItems` are the added-but-not-done items, with
   * their deltas applied. Default: nothing (the reference behaviour).
   */
  async handleStreamError(
    _thread: ThreadMetadata,
    _pendingItems: ThreadItem[],
    _error: unknown,
    _context: TContext,
  ): Promise<ThreadItem[]> {
    return [];
  }

  /** Called once when the client aborts a stream. Default: §6.5. */
  async handleStreamCancelled(thread: ThreadMetadata, pendingItems: ThreadItem[], context: TContext): Promise<void> {
    for (const item of pendingItems) {
      if (item.type !== "assistant_message") continue;
      if (!item.content.some((p) => p.text.trim() !== "")) continue;
      await this.store.addThreadItem(thread.id, item, context);
    }
    await this.store.addThreadItem(
      thread.id,
      {
        type: "sdk_hidden_context",
        id: this.store.generateItemId("sdk_hidden_context", thread, context),
        thread_id: thread.id,
        created_at: nowIso(),
        content: CANCELLED_STREAM_NOTE,
      },
      context,
    );
  }

  // ----------------------------------------------------------------------------- entry

  /**
   * Handle one request body. Input errors (400/404/409/422/501) come back as
   * `{kind:"json", status, body:{"detail","code","issues"?}}` before any stream opens.
   * Unexpected failures (e.g. database down) are thrown.
   */
  async process(body: string | Uint8Array, context: TContext, options: ProcessOptions = {}): Promise<ProcessResult> {
    try {
      const req = parseRequest(body);
      if (STREAMING.has(req.type)) {
        const prepared = await this.prepareStream(req as StreamingReq, context);
        return this.openStream(prepared, context, options);
      }
      return await this.processJson(req as NonStreamingReq, context);
    } catch (err) {
      const mapped = requestErrorOf(err);
      if (mapped) return errorResult(mapped);
      throw err;
    }
  }

  // ----------------------------------------------------------------------------- JSON

  private async processJson(req: NonStreamingReq, context: TContext): Promise<JsonResult> {
    const store = this.store;
    const ok = (body: string): JsonResult => ({ kind: "json", status: 200, body });
    switch (req.type) {
      case "threads.get_by_id": {
        const p = req.params;
        const [thread, page] = await Promise.all([
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, null, DEFAULT_PAGE_SIZE, "asc", context),
        ]);
        return ok(threadJson(thread, { ...page, data: page.data.filter((i) => !isHiddenItem(i)) }));
      }
      case "threads.list": {
        const p = req.params;
        const page = await store.loadThreads(p.limit || DEFAULT_PAGE_SIZE, p.after ?? null, p.order, context);
        return ok(threadPageJson(page));
      }
      case "threads.update": {
        const thread = await store.loadThread(req.params.thread_id, context);
        thread.title = req.params.title;
        await store.saveThread(thread, context);
        return ok(threadJson(thread));
      }
      case "threads.delete": {
        await store.loadThread(req.params.thread_id, context);
        await store.deleteThread(req.params.thread_id, context);
        return ok("{}");
      }
      case "threads.sync_custom_action": {
        const p = req.params;
        const thread = await store.loadThread(p.thread_id, context);
        const sender = p.item_id ? await this.loadWidgetSender(p.thread_id, p.item_id, context) : null;
        if (sender && sender.type !== "widget") {
          throw new ChatKitRequestError(409, "not_a_widget", `Item ${p.item_id} is not a widget.`);
        }
        const result = await this.syncAction(thread, p.action, sender as WidgetItem | null, context);
        const item = result?.updated_item;
        return ok(item ? '{"updated_item":' + toJson(clientItem(item)) + "}" : "{}");
      }
      case "items.list": {
        const p = req.params;
        const [, page] = await Promise.all([
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, p.after ?? null, p.limit || DEFAULT_PAGE_SIZE, p.order, context),
        ]);
        return ok(itemPageJson({ ...page, data: page.data.filter((i) => !isHiddenItem(i)) }));
      }
      case "items.feedback": {
        const p = req.params;
        await store.loadThread(p.thread_id, context);
        await this.addFeedback(p.thread_id, p.item_ids, p.kind, context);
        return ok("{}");
      }
      case "attachments.create": {
        const attachments = this.requireAttachmentStore();
        const attachment = await attachments.createAttachment(req.params, context);
        await store.saveAttachment(attachment, context);
        return ok(clientAttachmentJson(attachment));
      }
      case "attachments.delete": {
        const attachments = this.requireAttachmentStore();
        const id = req.params.attachment_id;
        await store.loadAttachment(id, context);
        await attachments.deleteAttachment(id, context);
        await store.deleteAttachment(id, context);
        return ok("{}");
      }
      case "input.transcribe": {
        const p = req.params;
        const semi = p.mime_type.indexOf(";");
        const mediaType = (semi < 0 ? p.mime_type : p.mime_type.slice(0, semi)).trim();
        const result = await this.transcribe({ data: decodeBase64(p.audio_base64), mimeType: p.mime_type, mediaType }, context);
        return ok(JSON.stringify({ text: result.text }));
      }
    }
  }

  private requireAttachmentStore(): AttachmentStore<TContext> {
    if (!this.attachmentStore) {
      throw new ChatKitRequestError(501, "attachments_not_supported", "This server does not accept attachments.");
    }
    return this.attachmentStore;
  }

  private loadWidgetSender(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    return this.store.loadItem(threadId, itemId, context);
  }

  // ----------------------------------------------------------------------------- streaming prefix

  private async buildUserMessage(
    thread: ThreadMetadata,
    input: UserMessageInput,
    context: TContext,
  ): Promise<{ message: UserMessageItem; attachments: Attachment[] }> {
    const attachments = await Promise.all(input.attachments.map((id) => this.store.loadAttachment(id, context)));
    for (const a of attachments) a.thread_id = thread.id;
    const message: UserMessageItem = {
      type: "user_message",
      id: "",
      thread_id: thread.id,
      created_at: "",
      content: input.content,
      attachments,
      inference_options: input.inference_options,
    };
    if (input.quoted_text != null) message.quoted_text = input.quoted_text;
    return { message, attachments };
  }

  private async storeUserMessage(
    thread: ThreadMetadata,
    built: { message: UserMessageItem; attachments: Attachment[] },
    context: TContext,
  ): Promise<string> {
    const { message, attachments } = built;
    message.id = this.store.generateItemId("message", thread, context);
    message.created_at = nowIso();
    for (const a of attachments) await this.store.saveAttachment(a, context);
    await this.store.addThreadItem(thread.id, message, context);
    return eventJson({ type: "thread.item.done", item: message });
  }

  private async prepareStream(req: StreamingReq, context: TContext): Promise<Prepared> {
    const store = this.store;
    switch (req.type) {
      case "threads.create": {
        const input = req.params.input;
        // Validate everything before writing anything.
        const attachments = await Promise.all(input.attachments.map((id) => store.loadAttachment(id, context)));
        const thread: ThreadMetadata = {
          id: store.generateThreadId(context),
          created_at: nowIso(),
          status: { type: "active" },
          metadata: {},
        };
        await store.saveThread(thread, context);
        for (const a of attachments) a.thread_id = thread.id;
        const built = await this.buildUserMessage(thread, { ...input, attachments: [] }, context);
        built.message.attachments = attachments;
        built.attachments = attachments;
        const created = eventJson({ type: "thread.created", thread: { ...thread, items: { data: [], has_more: false } } });
        let done: string;
        try {
          done = await this.storeUserMessage(thread, built, context);
        } catch (err) {
          // The store refused the message (e.g. text it cannot hold): leave no empty thread behind.
          await store.deleteThread(thread.id, context).catch(() => undefined);
          throw err;
        }
        const message = built.message;
        return { thread, prefix: [created, done], producer: (run) => this.respond(thread, message, context, run) };
      }
      case "threads.add_user_message": {
        const thread = await store.loadThread(req.params.thread_id, context);
        const built = await this.buildUserMessage(thread, req.params.input, context);
        const done = await this.storeUserMessage(thread, built, context);
        const message = built.message;
        return { thread, prefix: [done], producer: (run) => this.respond(thread, message, context, run) };
      }
      case "threads.add_client_tool_output": {
        const p = req.params;
        const thread = await store.loadThread(p.thread_id, context);
        const newest = (await store.loadThreadItems(thread.id, null, 1, "desc", context)).data[0];
        if (!newest || newest.type !== "client_tool_call" || newest.status !== "pending") {
          throw new ChatKitRequestError(409, "no_pending_tool_call", "The last thread item is not a pending client tool call.");
        }
        newest.status = "completed";
        newest.output = p.result;
        await store.saveItem(thread.id, newest, context);
        const recent = await store.loadThreadItems(thread.id, null, DEFAULT_PAGE_SIZE, "desc", context);
        for (const item of recent.data) {
          if (item.type === "client_tool_call" && item.status === "pending" && item.id !== newest.id) {
            await store.deleteThreadItem(thread.id, item.id, context);
          }
        }
        return { thread, prefix: [], producer: (run) => this.respond(thread, null, context, run) };
      }
      case "threads.add_structured_input": {
        const p = req.params;
        const thread = await store.loadThread(p.thread_id, context);
        const item = await store.loadItem(thread.id, p.item_id, context);
        if (item.type !== "structured_input") {
          throw new ChatKitRequestError(409, "not_structured_input", `Item ${p.item_id} is not a structured input request.`);
        }
        if (item.status !== "pending") {
          throw new ChatKitRequestError(409, "structured_input_not_pending", `Item ${p.item_id} has already been ${item.status}.`);
        }
        const updated = applyStructuredInput(item, p.input);
        const respond = (run: RunControl) => this.respond(thread, null, context, run);
        async function* resume(run: RunControl): ProducerStream {
          yield { type: "thread.item.replaced", item: updated };
          yield* respond(run);
        }
        return { thread, prefix: [], producer: resume };
      }
      case "threads.retry_after_item": {
        const p = req.params;
        const thread = await store.loadThread(p.thread_id, context);
        const newer: ThreadItem[] = [];
        let target: ThreadItem | undefined;
        let after: string | null = null;
        for (;;) {
          const page = await store.loadThreadItems(thread.id, after, DEFAULT_PAGE_SIZE, "desc", context);
          for (const item of page.data) {
            if (item.id === p.item_id) {
              target = item;
              break;
            }
            newer.push(item);
          }
          if (target || !page.has_more || !page.after) break;
          after = page.after;
        }
        if (!target) throw new ChatKitRequestError(404, "not_found", `Item ${p.item_id} not found in thread ${thread.id}.`);
        if (target.type !== "user_message") {
          throw new ChatKitRequestError(409, "not_a_user_message", `Item ${p.item_id} is not a user message.`);
        }
        for (const item of newer) await store.deleteThreadItem(thread.id, item.id, context);
        const message = target;
        return { thread, prefix: [], producer: (run) => this.respond(thread, message, context, run) };
      }
      case "threads.custom_action": {
        const p = req.params;
        const thread = await store.loadThread(p.thread_id, context);
        const sender = p.item_id ? await store.loadItem(thread.id, p.item_id, context) : null;
        if (sender && sender.type !== "widget") {
          return { thread, prefix: ['{"type":"error","code":"stream.error","allow_retry":false}'], producer: null };
        }
        return {
          thread,
          prefix: [],
          producer: (run) => this.action(thread, p.action, sender as WidgetItem | null, context, run),
        };
      }
    }
  }

  // ----------------------------------------------------------------------------- pipeline

  private openStream(prepared: Prepared, context: TContext, options: ProcessOptions): StreamResult {
    const store = this.store;
    const { thread, prefix, producer } = prepared;
    const abort = new AbortController();
    const external = options.signal;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let closed = false;
    let waiter: (() => void) | null = null;
    const wake = () => {
      const w = waiter;
      waiter = null;
      if (w) w();
    };
    const stream = new ReadableStream<Uint8Array>(
      {
        start(c) {
          controller = c;
        },
        pull() {
          wake();
        },
        cancel(reason) {
          abort.abort(reason);
        },
      },
      { highWaterMark: 64 },
    );
    // Frames produced in one turn of the event loop go out as one chunk: a burst of deltas
    // (one network read of the model's stream holds many) costs one write, not one each.
    let buffered = "";
    let flushQueued = false;
    const flush = () => {
      flushQueued = false;
      if (closed || buffered === "") return;
      const chunk = buffered;
      buffered = "";
      controller.enqueue(utf8.encode(chunk));
    };
    /** Queue one frame; true when the consumer is behind (caller should await `drain`). */
    const emit = (json: string): boolean => {
      if (closed) return false;
      buffered += "data: " + json + "\n\n";
      if (!flushQueued) {
        flushQueued = true;
        nextTurn(flush);
      }
      return (controller.desiredSize ?? 1) <= 0;
    };
    const drain = () => (closed ? Promise.resolve() : new Promise<void>((r) => (waiter = r)));
    const close = () => {
      if (closed) return;
      flush();
      closed = true;
      try {
        controller.close();
      } catch {
        /* already cancelled */
      }
    };

    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));

    for (const json of prefix) emit(json);
    if (!producer) {
      close();
      resolveDone();
      return { kind: "stream", stream, done };
    }

    const pending = new Map<string, ThreadItem>();
    let finished = false;
    let cancelled = false;
    let iterator: AsyncIterator<ThreadStreamEvent> | null = null;
    let lastThread: ThreadMetadata = structuredClone(thread);

    const onAbort = () => {
      if (finished || cancelled) return;
      cancelled = true;
      closed = true;
      wake();
      const it = iterator;
      if (it?.return) Promise.resolve(it.return()).catch(() => {});
      const items = [...pending.values()];
      pending.clear();
      void (async () => {
        try {
          await savingThread;
          if (!sameJson(thread, lastThread)) await store.saveThread(thread, context);
          await this.handleStreamCancelled(thread, items, context);
        } catch (err) {
          console.error("[chatkit] cancellation cleanup failed", err);
        } finally {
          resolveDone();
        }
      })();
    };
    if (external) {
      if (external.aborted) abort.abort(external.reason);
      else external.addEventListener("abort", () => abort.abort(external.reason), { once: true });
    }
    abort.signal.addEventListener("abort", onAbort, { once: true });

    const run: RunControl = { signal: abort.signal };
    const threadId = thread.id;

    // Thread changes are saved in the background, one after another, so the token stream never
    // waits on the database for them; the stream's end (and cancellation) waits for the saves.
    let savingThread: Promise<void> = Promise.resolve();
    let threadSaveError: unknown = null;
    const checkThread = async () => {
      if (sameJson(thread, lastThread)) return;
      const snapshot = structuredClone(thread);
      lastThread = snapshot;
      savingThread = savingThread
        .then(() => store.saveThread(snapshot, context))
        .catch((err: unknown) => {
          threadSaveError ??= err;
        });
      if (emit('{"type":"thread.updated","thread":' + threadJson(snapshot) + "}")) await drain();
    };

    const pump = async () => {
      if (cancelled) return;
      if (emit('{"type":"stream_options","stream_options":' + toJson(this.getStreamOptions(thread, context)) + "}")) await drain();
      try {
        iterator = producer(run)[Symbol.asyncIterator]();
        for (;;) {
          const r = await iterator.next();
          if (cancelled || r.done) break;
          const e = r.value;
          let forward = true;
          switch (e.type) {
            case "thread.item.updated": {
              const target = pending.get(e.item_id);
              if (target) applyItemUpdate(target, e.update);
              break;
            }
            case "thread.item.added":
              pending.set(e.item.id, structuredClone(e.item));
              break;
            case "thread.item.done":
              pending.delete(e.item.id);
              await store.addThreadItem(threadId, e.item, context);
              forward = !isHiddenItem(e.item);
              break;
            case "thread.item.removed":
              pending.delete(e.item_id);
              await store.deleteThreadItem(threadId, e.item_id, context);
              break;
            case "thread.item.replaced":
              pending.delete(e.item.id);
              await store.saveItem(threadId, e.item, context);
              break;
          }
          if (cancelled) break;
          if (forward && emit(eventJson(e))) await drain();
          if (!sameJson(thread, lastThread)) await checkThread();
        }
      } catch (err) {
        if (cancelled) return;
        if (!(err instanceof CustomStreamError) && !(err instanceof StreamError)) {
          console.error("[chatkit] error while streaming a response", err);
        }
        try {
          const items = [...pending.values()];
          pending.clear();
          for (const item of await this.handleStreamError(thread, items, err, context)) {
            await store.addThreadItem(threadId, item, context);
            emit('{"type":"thread.item.done","item":' + toJson(clientItem(item)) + "}");
          }
        } catch (hookErr) {
          console.error("[chatkit] handleStreamError failed", hookErr);
        }
        emit(errorEventJson(err));
        const it = iterator;
        if (it?.return) Promise.resolve(it.return()).catch(() => {});
      }
      if (cancelled) return;
      try {
        await checkThread();
      } catch (err) {
        threadSaveError ??= err;
      }
      await savingThread;
      if (threadSaveError) {
        console.error("[chatkit] saving the thread failed", threadSaveError);
        emit(errorEventJson(threadSaveError));
      }
    };

    void pump()
      .catch((err) => {
        console.error("[chatkit] stream pipeline failed", err);
        if (!cancelled) emit('{"type":"error","code":"stream.error","allow_retry":true}');
      })
      .finally(() => {
        if (cancelled) return; // resolveDone comes from the cleanup
        finished = true;
        abort.signal.removeEventListener("abort", onAbort);
        close();
        resolveDone();
      });

    return { kind: "stream", stream, done };
  }
}

export type { AssistantMessageItem, WorkflowItem };
