/**
 * The streaming requests before their stream opens: one handler per request type. Each reads
 * what it needs alongside the caller's authorisation (one round trip), refuses what the protocol
 * refuses (a JSON error, nothing written), and returns the pipeline's `Prepared`: the events sent
 * first, the request's own writes (run in order beside the producer) and the producer itself.
 */
import { ChatKitRequestError } from "./errors";
import type { Prepared, ProducerRun, ProducerStream, TextDeltaLane } from "./pipeline";
import { DEFAULT_PAGE_SIZE, together } from "./request";
import { eventJson, streamErrorJson } from "./serialize";
import { nowIso, type Store } from "./store";
import type {
  Action,
  Attachment,
  Page,
  StreamingReq,
  StructuredInputItem,
  StructuredInputSubmission,
  ThreadItem,
  ThreadMetadata,
  UserMessageInput,
  UserMessageItem,
  WidgetItem,
} from "./types";

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

/** What these handlers need of the server (ChatKitServer): its store and its turn hooks. */
export type TurnHooks<TContext, TTurn> = {
  readonly store: Store<TContext>;
  readonly historyLimit: number;
  respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    context: TContext,
    run: RunControl<TTurn>,
  ): ProducerStream;
  prepareTurn(context: TContext): Promise<TTurn>;
  newThreadTitle(message: UserMessageItem, context: TContext): string | undefined;
  action(
    thread: ThreadMetadata,
    action: Action,
    sender: WidgetItem | null,
    context: TContext,
    run: RunControl<undefined>,
  ): ProducerStream;
};

/** One streaming request on its way in: the server, the caller's context and authorisation. */
type Incoming<TContext, TTurn> = {
  server: TurnHooks<TContext, TTurn>;
  context: TContext;
  /** Starts (once) and returns the caller's authorisation check. */
  authorised: () => Promise<unknown>;
};

type ParamsOf<T extends StreamingReq["type"]> = Extract<StreamingReq, { type: T }>["params"];

export function prepareStream<TContext, TTurn>(
  server: TurnHooks<TContext, TTurn>,
  req: StreamingReq,
  context: TContext,
  authorised: () => Promise<unknown>,
): Promise<Prepared> {
  const at: Incoming<TContext, TTurn> = { server, context, authorised };
  switch (req.type) {
    case "threads.create":
      return createThread(at, req.params);
    case "threads.add_user_message":
      return addUserMessage(at, req.params);
    case "threads.add_client_tool_output":
      return addClientToolOutput(at, req.params);
    case "threads.add_structured_input":
      return addStructuredInput(at, req.params);
    case "threads.retry_after_item":
      return retryAfterItem(at, req.params);
    case "threads.custom_action":
      return customAction(at, req.params);
  }
}

async function createThread<C, T>(at: Incoming<C, T>, params: ParamsOf<"threads.create">): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  const input = params.input;
  const [attachments, turn] = await together<[Attachment[], T]>(
    at.authorised(),
    loadAttachments(store, input.attachments, context),
    server.prepareTurn(context),
  );
  const thread: ThreadMetadata = {
    id: store.generateThreadId(context),
    created_at: nowIso(),
    status: { type: "active" },
    metadata: {},
  };
  const message = userMessage(store, thread, input, attachments, context);
  const title = server.newThreadTitle(message, context);
  if (title) thread.title = title;
  const created = eventJson({
    type: "thread.created",
    thread: { ...thread, items: { data: [], has_more: false } },
  });
  return {
    thread,
    prefix: [created, eventJson({ type: "thread.item.done", item: message })],
    writes: [() => store.createThread(thread, message, attachments, context)],
    producer: respondWith(at, thread, message, server.historyLimit > 0 ? [message] : null, turn),
  };
}

async function addUserMessage<C, T>(at: Incoming<C, T>, p: ParamsOf<"threads.add_user_message">): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  const [thread, attachments, earlier, turn] = await together<[ThreadMetadata, Attachment[], ThreadItem[] | null, T]>(
    at.authorised(),
    store.loadThread(p.thread_id, context),
    loadAttachments(store, p.input.attachments, context),
    historyBefore(server, p.thread_id, context),
    server.prepareTurn(context),
  );
  const message = userMessage(store, thread, p.input, attachments, context);
  const saveMessage = async () => {
    for (const a of attachments) await store.saveAttachment(a, context);
    await store.addThreadItem(thread.id, message, context);
  };
  return {
    thread,
    prefix: [eventJson({ type: "thread.item.done", item: message })],
    writes: [saveMessage],
    producer: respondWith(at, thread, message, earlier && [message, ...earlier], turn),
  };
}

async function addClientToolOutput<C, T>(
  at: Incoming<C, T>,
  p: ParamsOf<"threads.add_client_tool_output">,
): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  const [thread, newestPage, turn] = await together<[ThreadMetadata, Page<ThreadItem>, T]>(
    at.authorised(),
    store.loadThread(p.thread_id, context),
    store.loadThreadItems(p.thread_id, null, 1, "desc", context),
    server.prepareTurn(context),
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
  return { thread, prefix: [], writes: [], producer: respondWith(at, thread, null, null, turn) };
}

async function addStructuredInput<C, T>(
  at: Incoming<C, T>,
  p: ParamsOf<"threads.add_structured_input">,
): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  const [thread, item, turn] = await together<[ThreadMetadata, ThreadItem, T]>(
    at.authorised(),
    store.loadThread(p.thread_id, context),
    store.loadItem(p.thread_id, p.item_id, context),
    server.prepareTurn(context),
  );
  if (item.type !== "structured_input") {
    throw new ChatKitRequestError(409, "not_structured_input", `Item ${p.item_id} is not a structured input request.`);
  }
  if (item.status !== "pending") {
    throw new ChatKitRequestError(
      409,
      "structured_input_not_pending",
      `Item ${p.item_id} has already been ${item.status}.`,
    );
  }
  const updated = applyStructuredInput(item, p.input);
  const respond = respondWith(at, thread, null, null, turn);
  async function* resume(run: ProducerRun): ProducerStream {
    yield { type: "thread.item.replaced", item: updated };
    yield* respond(run);
  }
  return { thread, prefix: [], writes: [], producer: resume };
}

async function retryAfterItem<C, T>(at: Incoming<C, T>, p: ParamsOf<"threads.retry_after_item">): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  // The newest items down to the retried one, and with it the history the model sees.
  const pageSize = Math.max(DEFAULT_PAGE_SIZE, server.historyLimit + 1);
  const [thread, firstPage, turn] = await together<[ThreadMetadata, Page<ThreadItem>, T]>(
    at.authorised(),
    store.loadThread(p.thread_id, context),
    store.loadThreadItems(p.thread_id, null, pageSize, "desc", context),
    server.prepareTurn(context),
  );
  const newer: ThreadItem[] = [];
  let page = firstPage;
  let history: ThreadItem[] = [];
  for (;;) {
    const index = page.data.findIndex((item) => item.id === p.item_id);
    if (index >= 0) {
      newer.push(...page.data.slice(0, index));
      history = page.data.slice(index);
      break;
    }
    newer.push(...page.data);
    if (!page.has_more || !page.after) break;
    page = await store.loadThreadItems(thread.id, page.after, pageSize, "desc", context);
  }
  const target = history[0];
  if (!target) throw new ChatKitRequestError(404, "not_found", `Item ${p.item_id} not found in thread ${thread.id}.`);
  if (target.type !== "user_message") {
    throw new ChatKitRequestError(409, "not_a_user_message", `Item ${p.item_id} is not a user message.`);
  }
  const deletes = newer.map((item) => () => store.deleteThreadItem(thread.id, item.id, context));
  // The full window when the page held it (or the thread has no more); otherwise respond reads
  // it, and the newer items must be gone by then.
  const known = history.length >= server.historyLimit || !page.has_more;
  if (!known) for (const remove of deletes.splice(0)) await remove();
  const seen = server.historyLimit > 0 && known ? history.slice(0, server.historyLimit) : null;
  return { thread, prefix: [], writes: deletes, producer: respondWith(at, thread, target, seen, turn) };
}

async function customAction<C, T>(at: Incoming<C, T>, p: ParamsOf<"threads.custom_action">): Promise<Prepared> {
  const { server, context } = at;
  const store = server.store;
  const [thread, sender] = await together<[ThreadMetadata, ThreadItem | null]>(
    at.authorised(),
    store.loadThread(p.thread_id, context),
    p.item_id ? store.loadItem(p.thread_id, p.item_id, context) : Promise.resolve(null),
  );
  if (sender && sender.type !== "widget") {
    return { thread, prefix: [streamErrorJson(false)], writes: [], producer: null };
  }
  const widget = sender as WidgetItem | null;
  return {
    thread,
    prefix: [],
    writes: [],
    producer: (run) => server.action(thread, p.action, widget, context, { ...run, history: null, turn: undefined }),
  };
}

// ------------------------------------------------------------------------------- shared steps

/** The producer that runs `respond` with what the request learnt. */
function respondWith<C, T>(
  at: Incoming<C, T>,
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  history: ThreadItem[] | null,
  turn: T,
): (run: ProducerRun) => ProducerStream {
  return (run) => at.server.respond(thread, input, at.context, { ...run, history, turn });
}

/** The user message of `input`, ready to store (its attachments now belong to the thread). */
function userMessage<C>(
  store: Store<C>,
  thread: ThreadMetadata,
  input: UserMessageInput,
  attachments: Attachment[],
  context: C,
): UserMessageItem {
  for (const a of attachments) a.thread_id = thread.id;
  const message: UserMessageItem = {
    type: "user_message",
    id: store.generateItemId("message", thread, context),
    thread_id: thread.id,
    created_at: nowIso(),
    content: input.content,
    attachments,
    inference_options: input.inference_options,
  };
  if (input.quoted_text != null) message.quoted_text = input.quoted_text;
  store.checkItem?.(message);
  return message;
}

function loadAttachments<C>(store: Store<C>, ids: string[], context: C): Promise<Attachment[]> {
  return Promise.all(ids.map((id) => store.loadAttachment(id, context)));
}

/** The recent items before a new message (one fewer than the window, which the message completes). */
async function historyBefore<C, T>(
  server: TurnHooks<C, T>,
  threadId: string,
  context: C,
): Promise<ThreadItem[] | null> {
  if (server.historyLimit <= 1) return server.historyLimit === 1 ? [] : null;
  return (await server.store.loadThreadItems(threadId, null, server.historyLimit - 1, "desc", context)).data;
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
