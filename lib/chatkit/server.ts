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
 * Those handlers, one per streaming request type, are in stream-requests.ts; parsing, input
 * bounds and the JSON/SSE answers in request.ts.
 */
import { ChatKitRequestError, NotImplementedError } from "./errors";
import {
  openStream,
  applyItemUpdate,
  type ProcessOptions,
  type ProducerStream,
  type StreamEnd,
  type StreamResult,
  type TextDeltaLane,
} from "./pipeline";
import {
  checkInputBounds,
  decodeBase64,
  DEFAULT_PAGE_SIZE,
  errorResultOf,
  isStreamingType,
  parseRequest,
  together,
  type ChatKitServerOptions,
  type JsonResult,
  type ProcessResult,
} from "./request";
import {
  clientAttachmentJson,
  isHiddenItem,
  itemPageJson,
  syncActionJson,
  threadJson,
  threadPageJson,
} from "./serialize";
import { nowIso, type AttachmentStore, type Store } from "./store";
import { applyStructuredInput, prepareStream, type RunControl } from "./stream-requests";
import type {
  Action,
  AssistantMessageItem,
  FeedbackKind,
  NonStreamingReq,
  Page,
  StreamOptions,
  StreamingReq,
  SyncCustomActionResponse,
  ThreadItem,
  ThreadMetadata,
  TranscriptionResult,
  UserMessageItem,
  WidgetItem,
  WorkflowItem,
} from "./types";

export const CANCELLED_STREAM_NOTE = "The user cancelled the stream. Stop responding to the prior request.";

export { checkInputBounds, DEFAULT_PAGE_SIZE, parseRequest, applyStructuredInput, applyItemUpdate };
export { SSE_HEADERS, toResponse } from "./request";
export type { ChatKitServerOptions, JsonResult, ProcessResult, RunControl };
export type { ProcessOptions, ProducerStream, StreamEnd, StreamResult, TextDeltaLane };

export type AudioInput = {
  data: Uint8Array;
  /** As sent, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  /** The part before `;`, e.g. `audio/webm`. */
  mediaType: string;
};

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
      options.onRequestType?.(req.type);
      checkInputBounds(req, this.options);
      if (isStreamingType(req.type)) {
        const prepared = await prepareStream(this, req as StreamingReq, context, authorised);
        return openStream(this, prepared, context, options);
      }
      return await this.processJson(req as NonStreamingReq, context, authorised);
    } catch (err) {
      await authorised(); // an unauthorised caller gets that answer, whatever else went wrong
      const answer = errorResultOf(err);
      if (answer) return answer;
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
        return ok(syncActionJson(item));
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
}

export type { AssistantMessageItem, WorkflowItem };
