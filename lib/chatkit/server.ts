/**
 * ChatKitServer: parses a request body, validates it, does the request's own store work and
 * answers JSON, or hands a producer to the event pipeline (pipeline.ts) for SSE. Subclass it
 * and implement `respond` (and optionally `action`, `syncAction`, `addFeedback`,
 * `transcribe`, `getStreamOptions`, `handleStreamError`, `handleStreamCancelled`,
 * `prepareTurn`, `newThreadTitle`, `historyLimit`).
 *
 * A streaming request costs one database round trip before its producer starts: its reads
 * (the thread, the sender item, attachments, the recent items for the model), `prepareTurn`
 * and the caller's authorisation run together, and its writes (a new thread with its first
 * message, a user message) go to the pipeline's ordered write queue, alongside the producer.
 */
import { ChatKitRequestError, NotFoundError, NotImplementedError, type ChatKitIssue } from "./errors";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from "./json-depth";
import {
  clientAttachmentJson,
  clientItem,
  eventJson,
  isHiddenItem,
  itemPageJson,
  threadJson,
  threadPageJson,
  toJson,
} from "./serialize";
import {
  applyItemUpdate,
  openStream,
  type Prepared,
  type ProcessOptions,
  type ProducerRun,
  type ProducerStream,
  type StreamResult,
  type TextDeltaLane,
} from "./pipeline";
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
  type Page,
  type StreamOptions,
  type StreamingReq,
  type StructuredInputItem,
  type StructuredInputSubmission,
  type SyncCustomActionResponse,
  type ThreadItem,
  type ThreadMetadata,
  type TranscriptionResult,
  type UserMessageInput,
  type UserMessageItem,
  type WidgetItem,
  type WorkflowItem,
} from "./types";

export const DEFAULT_PAGE_SIZE = 20;
export const CANCELLED_STREAM_NOTE = "The user cancelled the stream. Stop responding to the prior request.";

export type JsonResult = { kind: "json"; status: number; body: string };
export type ProcessResult = JsonResult | StreamResult;
export type { ProcessOptions, ProducerStream, StreamResult, TextDeltaLane };

/** Passed to `respond`/`action`. */
export type RunControl<TTurn = undefined> = {
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  /**
   * Hands text deltas straight to the pipeline, skipping the generator hops (see TextDeltaLane);
   * give it to ResponsesStreamConverter as `textDeltas`. Yielding the deltas works too, slower.
   */
  textDeltas: TextDeltaLane;
  /**
   * The thread's most recent items, newest first, the input message included (at most
   * `historyLimit`), when the server read them alongside the request's checks or knows them
   * without a read (a thread this request creates); null otherwise — then load them yourself.
   */
  history: ThreadItem[] | null;
  /** What `prepareTurn` resolved to (`respond` only; undefined for `action`). */
  turn: TTurn;
};
export { applyItemUpdate };

export type AudioInput = {
  data: Uint8Array;
  /** As sent, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  /** The part before `;`, e.g. `audio/webm`. */
  mediaType: string;
};

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

function requestErrorOf(err: unknown): ChatKitRequestError | null {
  if (err instanceof ChatKitRequestError) return err;
  if (err instanceof NotFoundError) return new ChatKitRequestError(404, "not_found", err.message);
  if (err instanceof NotImplementedError) return new ChatKitRequestError(501, "not_implemented", err.message);
  return null;
}

function errorResult(err: ChatKitRequestError): JsonResult {
  return { kind: "json", status: err.status, body: JSON.stringify(err.toJSON()) };
}

/** Deep copy of a structured-input item with a submission applied (PROTOCOL.md §3). */
export function applyStructuredInput(
  item: StructuredInputItem,
  submission: StructuredInputSubmission,
): StructuredInputItem {
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

/**
 * Awaits the caller's authorisation together with a request's reads, and answers the
 * authorisation's failure first: an unauthorised caller learns nothing from the reads.
 */
async function together<T extends readonly unknown[]>(
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

export abstract class ChatKitServer<TContext, TTurn = undefined> {
  /**
   * How many recent items `run.history` holds (0: the server reads none; `respond` loads what
   * it needs). Set it to the window the model sees, so that read shares the request's round trip.
   */
  readonly historyLimit: number = 0;

  constructor(
    readonly store: Store<TContext>,
    readonly attachmentStore: AttachmentStore<TContext> | null = null,
    readonly options: ChatKitServerOptions = {},
  ) {}

  // ----------------------------------------------------------------------------- hooks

  /** Produce the assistant's turn. `input` is null when continuing (tool output, structured input). */
  abstract respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: TContext,
    run: RunControl<TTurn>,
  ): ProducerStream;

  /**
   * Work a model turn needs that depends only on the context (e.g. reading what goes into the
   * instructions, checking a quota). Called for every request that runs `respond`, alongside
   * the request's own reads and the caller's authorisation, so it costs no extra round trip;
   * it may refuse the turn by throwing a ChatKitRequestError (a JSON answer, nothing written).
   * Its result reaches `respond` as `run.turn`.
   */
  prepareTurn(_context: TContext): Promise<TTurn> {
    return Promise.resolve(undefined as TTurn);
  }

  /**
   * The title of a thread `threads.create` is about to make, from its first message (default:
   * none). Given here rather than set in `respond`, it goes out with `thread.created` and is
   * stored with the thread: no `thread.updated` and no second write.
   */
  newThreadTitle(_message: UserMessageItem, _context: TContext): string | undefined {
    return undefined;
  }

  /** Streaming custom (widget) action. Default: not implemented (becomes an `error` event). */
  async *action(
    _thread: ThreadMetadata,
    _action: Action,
    _sender: WidgetItem | null,
    _context: TContext,
    _run: RunControl<undefined>,
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

  /** Called once when the client aborts a stream. Default: PROTOCOL.md §6.4. */
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
    const given = options.authorised;
    let started: Promise<unknown> | undefined;
    // Started once, by the first read that needs it (or by the error path below).
    const authorised = () => (started ??= typeof given === "function" ? given() : (given ?? Promise.resolve()));
    try {
      const req = parseRequest(body);
      checkInputBounds(req, this.options);
      if (STREAMING.has(req.type)) {
        const prepared = await this.prepareStream(req as StreamingReq, context, authorised);
        return openStream(this, prepared, context, options);
      }
      return await this.processJson(req as NonStreamingReq, context, authorised);
    } catch (err) {
      await authorised(); // an unauthorised caller gets that answer, whatever else went wrong
      const mapped = requestErrorOf(err);
      if (mapped) return errorResult(mapped);
      throw err;
    }
  }

  // ----------------------------------------------------------------------------- JSON

  /** Reads run alongside the caller's check (one round trip); anything that writes waits for it. */
  private async processJson(
    req: NonStreamingReq,
    context: TContext,
    authorised: () => Promise<unknown>,
  ): Promise<JsonResult> {
    const store = this.store;
    const ok = (body: string): JsonResult => ({ kind: "json", status: 200, body });
    switch (req.type) {
      case "threads.get_by_id": {
        const p = req.params;
        const [thread, page] = await together<[ThreadMetadata, Page<ThreadItem>]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, null, DEFAULT_PAGE_SIZE, "asc", context),
        );
        return ok(threadJson(thread, { ...page, data: page.data.filter((i) => !isHiddenItem(i)) }));
      }
      case "threads.list": {
        const p = req.params;
        const [page] = await together<[Page<ThreadMetadata>]>(
          authorised(),
          store.loadThreads(p.limit || DEFAULT_PAGE_SIZE, p.after ?? null, p.order, context),
        );
        return ok(threadPageJson(page));
      }
      case "items.list": {
        const p = req.params;
        const [, page] = await together<[ThreadMetadata, Page<ThreadItem>]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, p.after ?? null, p.limit || DEFAULT_PAGE_SIZE, p.order, context),
        );
        return ok(itemPageJson({ ...page, data: page.data.filter((i) => !isHiddenItem(i)) }));
      }
    }
    await authorised();
    switch (req.type) {
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
        const result = await this.transcribe(
          { data: decodeBase64(p.audio_base64), mimeType: p.mime_type, mediaType },
          context,
        );
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

  /** The user message of `input`, ready to store (its attachments now belong to the thread). */
  private userMessage(
    thread: ThreadMetadata,
    input: UserMessageInput,
    attachments: Attachment[],
    context: TContext,
  ): UserMessageItem {
    for (const a of attachments) a.thread_id = thread.id;
    const message: UserMessageItem = {
      type: "user_message",
      id: this.store.generateItemId("message", thread, context),
      thread_id: thread.id,
      created_at: nowIso(),
      content: input.content,
      attachments,
      inference_options: input.inference_options,
    };
    if (input.quoted_text != null) message.quoted_text = input.quoted_text;
    this.store.checkItem?.(message);
    return message;
  }

  private loadAttachments(ids: string[], context: TContext): Promise<Attachment[]> {
    return Promise.all(ids.map((id) => this.store.loadAttachment(id, context)));
  }

  /** The recent items before a new message (one fewer than the window, which the message completes). */
  private async historyBefore(threadId: string, context: TContext): Promise<ThreadItem[] | null> {
    if (this.historyLimit <= 1) return this.historyLimit === 1 ? [] : null;
    return (await this.store.loadThreadItems(threadId, null, this.historyLimit - 1, "desc", context)).data;
  }

  private respondWith(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: TContext,
    history: ThreadItem[] | null,
    turn: TTurn,
  ): (run: ProducerRun) => ProducerStream {
    return (run) => this.respond(thread, input, context, { ...run, history, turn });
  }

  private async prepareStream(
    req: StreamingReq,
    context: TContext,
    authorised: () => Promise<unknown>,
  ): Promise<Prepared> {
    const store = this.store;
    switch (req.type) {
      case "threads.create": {
        const input = req.params.input;
        const [attachments, turn] = await together<[Attachment[], TTurn]>(
          authorised(),
          this.loadAttachments(input.attachments, context),
          this.prepareTurn(context),
        );
        const thread: ThreadMetadata = {
          id: store.generateThreadId(context),
          created_at: nowIso(),
          status: { type: "active" },
          metadata: {},
        };
        const message = this.userMessage(thread, input, attachments, context);
        const title = this.newThreadTitle(message, context);
        if (title) thread.title = title;
        const created = eventJson({
          type: "thread.created",
          thread: { ...thread, items: { data: [], has_more: false } },
        });
        return {
          thread,
          prefix: [created, eventJson({ type: "thread.item.done", item: message })],
          writes: [() => store.createThread(thread, message, attachments, context)],
          producer: this.respondWith(thread, message, context, this.historyLimit > 0 ? [message] : null, turn),
        };
      }
      case "threads.add_user_message": {
        const p = req.params;
        const [thread, attachments, earlier, turn] = await together<
          [ThreadMetadata, Attachment[], ThreadItem[] | null, TTurn]
        >(
          authorised(),
          store.loadThread(p.thread_id, context),
          this.loadAttachments(p.input.attachments, context),
          this.historyBefore(p.thread_id, context),
          this.prepareTurn(context),
        );
        const message = this.userMessage(thread, p.input, attachments, context);
        const saveMessage = async () => {
          for (const a of attachments) await store.saveAttachment(a, context);
          await store.addThreadItem(thread.id, message, context);
        };
        return {
          thread,
          prefix: [eventJson({ type: "thread.item.done", item: message })],
          writes: [saveMessage],
          producer: this.respondWith(thread, message, context, earlier && [message, ...earlier], turn),
        };
      }
      case "threads.add_client_tool_output": {
        const p = req.params;
        const [thread, newestPage, turn] = await together<[ThreadMetadata, Page<ThreadItem>, TTurn]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, null, 1, "desc", context),
          this.prepareTurn(context),
        );
        const newest = newestPage.data[0];
        if (!newest || newest.type !== "client_tool_call" || newest.status !== "pending") {
          throw new ChatKitRequestError(
            409,
            "no_pending_tool_call",
            "The last thread item is not a pending client tool call.",
          );
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
        return { thread, prefix: [], writes: [], producer: this.respondWith(thread, null, context, null, turn) };
      }
      case "threads.add_structured_input": {
        const p = req.params;
        const [thread, item, turn] = await together<[ThreadMetadata, ThreadItem, TTurn]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          store.loadItem(p.thread_id, p.item_id, context),
          this.prepareTurn(context),
        );
        if (item.type !== "structured_input") {
          throw new ChatKitRequestError(
            409,
            "not_structured_input",
            `Item ${p.item_id} is not a structured input request.`,
          );
        }
        if (item.status !== "pending") {
          throw new ChatKitRequestError(
            409,
            "structured_input_not_pending",
            `Item ${p.item_id} has already been ${item.status}.`,
          );
        }
        const updated = applyStructuredInput(item, p.input);
        const respond = this.respondWith(thread, null, context, null, turn);
        async function* resume(run: ProducerRun): ProducerStream {
          yield { type: "thread.item.replaced", item: updated };
          yield* respond(run);
        }
        return { thread, prefix: [], writes: [], producer: resume };
      }
      case "threads.retry_after_item": {
        const p = req.params;
        // The newest items down to the retried one, and with it the history the model sees.
        const pageSize = Math.max(DEFAULT_PAGE_SIZE, this.historyLimit + 1);
        const [thread, firstPage, turn] = await together<[ThreadMetadata, Page<ThreadItem>, TTurn]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          store.loadThreadItems(p.thread_id, null, pageSize, "desc", context),
          this.prepareTurn(context),
        );
        const newer: ThreadItem[] = [];
        let page = firstPage;
        let history: ThreadItem[] = [];
        for (;;) {
          const at = page.data.findIndex((item) => item.id === p.item_id);
          if (at >= 0) {
            newer.push(...page.data.slice(0, at));
            history = page.data.slice(at);
            break;
          }
          newer.push(...page.data);
          if (!page.has_more || !page.after) break;
          page = await store.loadThreadItems(thread.id, page.after, pageSize, "desc", context);
        }
        const target = history[0];
        if (!target)
          throw new ChatKitRequestError(404, "not_found", `Item ${p.item_id} not found in thread ${thread.id}.`);
        if (target.type !== "user_message") {
          throw new ChatKitRequestError(409, "not_a_user_message", `Item ${p.item_id} is not a user message.`);
        }
        const deletes = newer.map((item) => () => store.deleteThreadItem(thread.id, item.id, context));
        // The full window when the page held it (or the thread has no more); otherwise respond reads
        // it, and the newer items must be gone by then.
        const known = history.length >= this.historyLimit || !page.has_more;
        if (!known) for (const remove of deletes.splice(0)) await remove();
        return {
          thread,
          prefix: [],
          writes: deletes,
          producer: this.respondWith(
            thread,
            target,
            context,
            this.historyLimit > 0 && known ? history.slice(0, this.historyLimit) : null,
            turn,
          ),
        };
      }
      case "threads.custom_action": {
        const p = req.params;
        const [thread, sender] = await together<[ThreadMetadata, ThreadItem | null]>(
          authorised(),
          store.loadThread(p.thread_id, context),
          p.item_id ? store.loadItem(p.thread_id, p.item_id, context) : Promise.resolve(null),
        );
        if (sender && sender.type !== "widget") {
          const error = '{"type":"error","code":"stream.error","allow_retry":false}';
          return { thread, prefix: [error], writes: [], producer: null };
        }
        const widget = sender as WidgetItem | null;
        return {
          thread,
          prefix: [],
          writes: [],
          producer: (run) => this.action(thread, p.action, widget, context, { ...run, history: null, turn: undefined }),
        };
      }
    }
  }
}

export type { AssistantMessageItem, WorkflowItem };
