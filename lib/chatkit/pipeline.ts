/**
 * The event pipeline (PROTOCOL.md §6.1): runs a producer (`respond`/`action`), persists what its events
 * say, forwards them as SSE frames, reports thread changes, maps failures to `error` events,
 * and runs the cancellation path when the client goes away (PROTOCOL.md §6.4).
 */
import { CustomStreamError, StreamError } from "./errors";
import { clientItem, eventJson, isHiddenItem, threadJson, toJson, utf8 } from "./serialize";
import type { Store } from "./store";
import type { StreamOptions, ThreadItem, ThreadItemUpdate, ThreadMetadata, ThreadStreamEvent } from "./types";

export type ProcessOptions = {
  /** Abort when the client goes away (e.g. `request.signal`); runs the cancellation path (PROTOCOL.md §6.4). */
  signal?: AbortSignal;
};

export type StreamResult = {
  kind: "stream";
  stream: ReadableStream<Uint8Array>;
  /** Settles when the pipeline (or the cancellation cleanup) has finished all its store writes. */
  done: Promise<void>;
};

/** Passed to `respond`/`action`: the signal aborts when the client disconnects. */
export type RunControl = { signal: AbortSignal };

export type ProducerStream = AsyncIterable<ThreadStreamEvent>;

export type Prepared = {
  thread: ThreadMetadata;
  /** Pre-serialised events sent before the pipeline (e.g. thread.created, the user message). */
  prefix: string[];
  /** null ⇒ no pipeline (only the prefix). */
  producer: ((run: RunControl) => ProducerStream) | null;
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

export function openStream<TContext>(
  server: PipelineHooks<TContext>,
  prepared: Prepared,
  context: TContext,
  options: ProcessOptions,
): StreamResult {
  const store = server.store;
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
        await server.handleStreamCancelled(thread, items, context);
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
    if (emit('{"type":"stream_options","stream_options":' + toJson(server.getStreamOptions(thread, context)) + "}"))
      await drain();
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
        for (const item of await server.handleStreamError(thread, items, err, context)) {
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
