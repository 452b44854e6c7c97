/**
 * The event pipeline (PROTOCOL.md §6.1): runs a producer (`respond`/`action`), persists what its events
 * say, forwards them as SSE frames, reports thread changes, maps failures to `error` events,
 * and runs the cancellation path when the client goes away (PROTOCOL.md §6.4). Its parts: the frame
 * writer (sse-writer.ts), the ordered store writes (write-queue.ts), and here the event switch
 * (`Turn.apply`) and the loop around it.
 */
import { CustomStreamError, StreamError } from "./errors";
import {
  errorEventJson,
  eventJson,
  isHiddenItem,
  streamErrorJson,
  streamOptionsJson,
  textDeltaJson,
  threadUpdatedJson,
} from "./serialize";
import { SseWriter } from "./sse-writer";
import type { Store } from "./store";
import type { StreamOptions, ThreadItem, ThreadItemUpdate, ThreadMetadata, ThreadStreamEvent } from "./types";
import { WriteQueue } from "./write-queue";
import { diagnostics } from "./diagnostics";

export type ProcessOptions = {
  /** Abort when the client goes away (e.g. `request.signal`); runs the cancellation path (PROTOCOL.md §6.4). */
  signal?: AbortSignal;
  /**
   * Settles once the caller is known to be authorised (e.g. a user-row check). A function is
   * called when the request's first reads start, so the check shares their round trip; the
   * reads run alongside it, but nothing is written, streamed or answered before it settles, and
   * its rejection is thrown from `process` whatever else failed.
   */
  authorised?: Promise<unknown> | (() => Promise<unknown>);
  /** Told the request's type once the body has parsed (for the caller's logs and traces). */
  onRequestType?: (type: string) => void;
};

/** How a stream ended: its producer ran out, the client went away, or it ended with an error event. */
export type StreamEnd = "completed" | "cancelled" | "failed";

export type StreamResult = {
  kind: "stream";
  stream: ReadableStream<Uint8Array>;
  /** Settles when the pipeline (or the cancellation cleanup) has finished all its store writes. */
  done: Promise<StreamEnd>;
};

export type ProducerStream = AsyncIterable<ThreadStreamEvent>;

/**
 * The text-delta lane: text deltas of an assistant message handed straight to the pipeline
 * instead of yielded, skipping every async-generator hop between the producer and the pipeline
 * (the bulk of a reply's cost per token). Ordering holds because a producer only runs after the
 * pipeline has finished with the event it last yielded. `textDelta` returns a promise to await
 * when the client is behind (back-pressure), else undefined. Deltas after the client went away,
 * or after a store write failed, are dropped (the stream is ending).
 */
export type TextDeltaLane = {
  textDelta(itemId: string, contentIndex: number, delta: string): Promise<void> | undefined;
};

/** What a producer is started with: the abort signal and the text-delta lane. */
export type ProducerRun = { signal: AbortSignal; textDeltas: TextDeltaLane };

export type Prepared = {
  thread: ThreadMetadata;
  /** Pre-serialised events sent before the pipeline (e.g. thread.created, the user message). */
  prefix: string[];
  /**
   * The request's own store writes (e.g. the new thread with its first message). They run in
   * order alongside the producer, before any write of its events; if one fails the stream ends
   * with an error event.
   */
  writes: (() => Promise<void>)[];
  /** null ⇒ no pipeline (only the prefix). `run.signal` aborts when the client goes away. */
  producer: ((run: ProducerRun) => ProducerStream) | null;
};

/** What the pipeline needs of the server: its store and the hooks around a stream. */
export type PipelineHooks<TContext> = {
  readonly store: Store<TContext>;
  getStreamOptions(thread: ThreadMetadata, context: TContext): StreamOptions;
  handleStreamError(
    thread: ThreadMetadata,
    pendingItems: ThreadItem[],
    error: unknown,
    context: TContext,
  ): Promise<ThreadItem[]>;
  handleStreamCancelled(thread: ThreadMetadata, pendingItems: ThreadItem[], context: TContext): Promise<void>;
};

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

/** Appends a text delta to a content part of a pending assistant message (creating the part if needed). */
function appendText(item: ThreadItem, contentIndex: number, delta: string): void {
  if (item.type !== "assistant_message") return;
  const content = item.content;
  while (content.length <= contentIndex) content.push(emptyPart());
  content[contentIndex]!.text += delta;
}

/** Applies an item update to a pending (not yet done) item copy, as the client would (PROTOCOL.md §5.2). */
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

/** One producer run: its events applied to the store and the stream, its end, its cancellation. */
class Turn<TContext> implements TextDeltaLane {
  private readonly store: Store<TContext>;
  private readonly threadId: string;
  /** Added-but-not-done items with their updates applied (for the error and cancellation hooks). */
  private readonly pending = new Map<string, ThreadItem>();
  /** The thread as last saved; `thread` is the producer's live copy it may change. */
  private lastThread: ThreadMetadata;
  private iterator: AsyncIterator<ThreadStreamEvent> | null = null;
  private finished = false;
  private cancelled = false;
  private errorSent = false;
  private firstEventSeen = false;

  constructor(
    private readonly server: PipelineHooks<TContext>,
    private readonly thread: ThreadMetadata,
    private readonly context: TContext,
    private readonly out: SseWriter,
    private readonly writes: WriteQueue,
    private readonly resolveDone: (end: StreamEnd) => void,
  ) {
    this.store = server.store;
    this.threadId = thread.id;
    this.lastThread = structuredClone(thread);
  }

  /** Runs the producer to its end (or until cancelled), then closes the stream. */
  run(producer: (run: ProducerRun) => ProducerStream, signal: AbortSignal): void {
    void this.pump(producer, signal)
      .catch((err) => {
        diagnostics.error("stream pipeline failed", err);
        diagnostics.failed("pipeline");
        this.errorSent = true;
        if (!this.cancelled) this.out.emit(streamErrorJson(true));
      })
      .finally(() => {
        if (this.cancelled) return; // resolveDone comes from the cleanup
        this.finished = true;
        this.out.close();
        this.resolveDone(this.errorSent ? "failed" : "completed");
      });
  }

  private async pump(producer: (run: ProducerRun) => ProducerStream, signal: AbortSignal): Promise<void> {
    const { out, writes } = this;
    if (this.cancelled) return;
    const options = this.server.getStreamOptions(this.thread, this.context);
    if (out.emit(streamOptionsJson(options))) await out.drain();
    try {
      const iterator = (this.iterator = producer({ signal, textDeltas: this })[Symbol.asyncIterator]());
      for (;;) {
        const r = await iterator.next();
        if (this.cancelled || r.done) break;
        this.firstEvent();
        // Most events (every delta) need no write: only those pay for an await.
        const applied = this.apply(r.value);
        const forward = typeof applied === "boolean" ? applied : await applied;
        if (this.cancelled) break;
        if (forward && out.emit(eventJson(r.value))) await out.drain();
        if (!sameJson(this.thread, this.lastThread)) await this.saveThreadChange();
        if (writes.failure) throw writes.failure.error; // e.g. the new thread could not be stored
      }
    } catch (err) {
      if (this.cancelled) return;
      await this.fail(err);
    }
    if (this.cancelled) return;
    await this.saveThreadChange();
    await writes.settled();
    if (writes.failure && !this.errorSent) {
      this.errorSent = true;
      diagnostics.error("saving the thread failed", writes.failure.error);
      diagnostics.failed("store_write");
      out.emit(errorEventJson(writes.failure.error));
    }
  }

  /** The reply's first event (the time to first event in the request's log line): noted once. */
  private firstEvent(): void {
    if (this.firstEventSeen) return;
    this.firstEventSeen = true;
    diagnostics.firstEvent();
  }

  /** The text-delta lane (TextDeltaLane): the delta is applied to its pending item and sent. */
  textDelta(itemId: string, contentIndex: number, delta: string): Promise<void> | undefined {
    if (this.cancelled || this.finished || this.writes.failure) return undefined;
    if (!this.firstEventSeen) this.firstEvent();
    const target = this.pending.get(itemId);
    if (target) appendText(target, contentIndex, delta);
    return this.out.emit(textDeltaJson(itemId, contentIndex, delta)) ? this.out.drain() : undefined;
  }

  /** The event switch: stores what the event says; returns whether the client sees it. */
  private apply(e: ThreadStreamEvent): boolean | Promise<boolean> {
    const { pending, store, threadId, context, writes } = this;
    switch (e.type) {
      case "thread.item.updated": {
        const target = pending.get(e.item_id);
        if (target) applyItemUpdate(target, e.update);
        return true;
      }
      case "thread.item.added":
        pending.set(e.item.id, structuredClone(e.item));
        return true;
      case "thread.item.done":
        pending.delete(e.item.id);
        return writes.run(() => store.addThreadItem(threadId, e.item, context)).then(() => !isHiddenItem(e.item));
      case "thread.item.removed":
        pending.delete(e.item_id);
        return writes.run(() => store.deleteThreadItem(threadId, e.item_id, context)).then(() => true);
      case "thread.item.replaced":
        pending.delete(e.item.id);
        return writes.run(() => store.saveItem(threadId, e.item, context)).then(() => true);
      default:
        return true;
    }
  }

  /** Queues a save of the thread when the producer changed it, and tells the client. */
  private async saveThreadChange(): Promise<void> {
    if (sameJson(this.thread, this.lastThread)) return;
    const snapshot = structuredClone(this.thread);
    this.lastThread = snapshot;
    this.writes.push(() => this.store.saveThread(snapshot, this.context));
    if (this.out.emit(threadUpdatedJson(snapshot))) await this.out.drain();
  }

  /** The producer (or a write) failed: keep what the error hook returns, then the error event. */
  private async fail(err: unknown): Promise<void> {
    this.errorSent = true;
    if (!(err instanceof CustomStreamError) && !(err instanceof StreamError)) {
      diagnostics.error("error while streaming a response", err);
      diagnostics.failed(err instanceof Error ? err.name : "unknown");
    } else {
      // A producer's own error (e.g. a refusal it explained): the outcome it noted stands.
      diagnostics.failed(err instanceof StreamError ? err.code : "custom", { ifUnset: true });
    }
    const items = [...this.pending.values()];
    this.pending.clear();
    if (!this.writes.failure) {
      try {
        for (const item of await this.server.handleStreamError(this.thread, items, err, this.context)) {
          await this.writes.run(() => this.store.addThreadItem(this.threadId, item, this.context));
          this.out.emit(eventJson({ type: "thread.item.done", item }));
        }
      } catch (hookErr) {
        diagnostics.error("handleStreamError failed", hookErr);
      }
    }
    this.out.emit(errorEventJson(err));
    const it = this.iterator;
    if (it?.return) Promise.resolve(it.return()).catch(() => {});
  }

  /** The client went away (PROTOCOL.md §6.4): stop the producer, then store what the cancellation hook keeps. */
  cancel(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    this.out.abandon();
    const it = this.iterator;
    if (it?.return) Promise.resolve(it.return()).catch(() => {});
    const items = [...this.pending.values()];
    this.pending.clear();
    void (async () => {
      try {
        await this.writes.settled();
        if (this.writes.failure) throw this.writes.failure.error;
        if (!sameJson(this.thread, this.lastThread)) await this.store.saveThread(this.thread, this.context);
        await this.server.handleStreamCancelled(this.thread, items, this.context);
      } catch (err) {
        diagnostics.error("cancellation cleanup failed", err);
      } finally {
        this.resolveDone("cancelled");
      }
    })();
  }
}

export function openStream<TContext>(
  server: PipelineHooks<TContext>,
  prepared: Prepared,
  context: TContext,
  options: ProcessOptions,
): StreamResult {
  const { thread, prefix, producer } = prepared;
  const abort = new AbortController();
  const out = new SseWriter((reason) => abort.abort(reason));
  const writes = new WriteQueue();
  for (const write of prepared.writes) writes.push(write);
  let resolveDone!: (end: StreamEnd) => void;
  const done = new Promise<StreamEnd>((r) => (resolveDone = r));

  for (const json of prefix) out.emit(json);
  if (!producer) {
    void writes.settled().then(() => {
      if (writes.failure) {
        diagnostics.error("saving the request failed", writes.failure.error);
        diagnostics.failed("store_write");
        out.emit(errorEventJson(writes.failure.error));
      }
      out.close();
      resolveDone(writes.failure ? "failed" : "completed");
    });
    return { kind: "stream", stream: out.stream, done };
  }

  const turn = new Turn(server, thread, context, out, writes, resolveDone);
  const external = options.signal;
  if (external) {
    if (external.aborted) abort.abort(external.reason);
    else external.addEventListener("abort", () => abort.abort(external.reason), { once: true });
  }
  if (abort.signal.aborted) turn.cancel();
  else abort.signal.addEventListener("abort", () => turn.cancel(), { once: true });
  turn.run(producer, abort.signal);
  return { kind: "stream", stream: out.stream, done };
}
