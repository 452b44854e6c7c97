/**
 * Builders for the requests a chat UI sends, typed by the protocol's own request types and
 * filled in with the defaults the server would apply, so what we send is exactly what the
 * server's schema accepts. Only types come from lib/chatkit: nothing here pulls zod or server
 * code into a browser bundle.
 */
import type {
  Action,
  Attachment,
  ChatKitReq,
  FeedbackKind,
  InferenceOptions,
  JsonObject,
  NonStreamingReq,
  Page,
  SortOrder,
  StreamingReq,
  StructuredInputSubmission,
  SyncCustomActionResponse,
  Thread,
  ThreadItem,
  TranscriptionResult,
  UserMessageContent,
  UserMessageInput,
} from "../chatkit/types";

/** The request object of one `type`. */
export type RequestOf<T extends ChatKitReq["type"]> = Extract<ChatKitReq, { type: T }>;

/**
 * Which request types answer with an SSE stream. A `Record` over every request type, so adding
 * a type to the protocol fails to compile here until it is classified.
 */
const STREAMS: Record<ChatKitReq["type"], boolean> = {
  "threads.create": true,
  "threads.add_user_message": true,
  "threads.add_client_tool_output": true,
  "threads.add_structured_input": true,
  "threads.retry_after_item": true,
  "threads.custom_action": true,
  "threads.get_by_id": false,
  "threads.list": false,
  "threads.update": false,
  "threads.delete": false,
  "threads.sync_custom_action": false,
  "items.list": false,
  "items.feedback": false,
  "attachments.create": false,
  "attachments.delete": false,
  "input.transcribe": false,
};

/** True when the server answers `req` with an event stream (use `stream`), else JSON (use `json`). */
export function isStreamingRequest(req: ChatKitReq): req is StreamingReq {
  return STREAMS[req.type];
}

/** The JSON body the server answers each non-streaming request with. */
export type JsonResponseOf<R extends NonStreamingReq> = {
  "threads.get_by_id": Thread;
  /** Each thread's `items` is an empty page here. */
  "threads.list": Page<Thread>;
  "threads.update": Thread;
  "threads.delete": Record<string, never>;
  "threads.sync_custom_action": SyncCustomActionResponse;
  "items.list": Page<ThreadItem>;
  "items.feedback": Record<string, never>;
  "attachments.create": Attachment;
  "attachments.delete": Record<string, never>;
  "input.transcribe": TranscriptionResult;
}[R["type"]];

/** What a user message may be given as: plain text, or the protocol's input with defaults. */
export type MessageInput =
  | string
  | {
      content: string | UserMessageContent[];
      attachments?: string[];
      quoted_text?: string | null;
      inference_options?: InferenceOptions;
    };

/** Options every request may carry. */
export type RequestOptions = { metadata?: JsonObject };

/** Paging of `threads.list` and `items.list`: `after` is the cursor of the previous page. */
export type PageParams = { limit?: number; after?: string | null; order?: SortOrder };

export function userMessageInput(input: MessageInput): UserMessageInput {
  const i = typeof input === "string" ? { content: input } : input;
  const content: UserMessageContent[] =
    typeof i.content === "string" ? [{ type: "input_text", text: i.content }] : i.content;
  const out: UserMessageInput = {
    content,
    attachments: i.attachments ?? [],
    inference_options: i.inference_options ?? {},
  };
  if (i.quoted_text != null) out.quoted_text = i.quoted_text;
  return out;
}

function build<T extends ChatKitReq["type"]>(
  type: T,
  params: RequestOf<T>["params"],
  opts: RequestOptions | undefined,
): RequestOf<T> {
  const req = { type, params } as RequestOf<T>;
  if (opts?.metadata) req.metadata = opts.metadata;
  return req;
}

function paging(p: PageParams): { limit?: number; after?: string; order: SortOrder } {
  const out: { limit?: number; after?: string; order: SortOrder } = { order: p.order ?? "desc" };
  if (p.limit != null) out.limit = p.limit;
  if (p.after != null) out.after = p.after;
  return out;
}

// ------------------------------------------------------------------ streaming

export const threadsCreate = (input: MessageInput, opts?: RequestOptions) =>
  build("threads.create", { input: userMessageInput(input) }, opts);

export const threadsAddUserMessage = (threadId: string, input: MessageInput, opts?: RequestOptions) =>
  build("threads.add_user_message", { thread_id: threadId, input: userMessageInput(input) }, opts);

/** Answers the thread's pending client tool call; `result` is any JSON value (null included). */
export const threadsAddClientToolOutput = (threadId: string, result: unknown, opts?: RequestOptions) =>
  build("threads.add_client_tool_output", { thread_id: threadId, result }, opts);

export const threadsAddStructuredInput = (
  threadId: string,
  itemId: string,
  input: Partial<StructuredInputSubmission>,
  opts?: RequestOptions,
) =>
  build(
    "threads.add_structured_input",
    {
      thread_id: threadId,
      item_id: itemId,
      input: { status: input.status ?? "answered", answers: input.answers ?? {} },
    },
    opts,
  );

/** Runs the turn again from the user message `itemId`; the server drops everything after it. */
export const threadsRetryAfterItem = (threadId: string, itemId: string, opts?: RequestOptions) =>
  build("threads.retry_after_item", { thread_id: threadId, item_id: itemId }, opts);

/** A widget action with `handler: "server"`; `itemId` is the widget item that sent it, if any. */
export const threadsCustomAction = (threadId: string, itemId: string | null, action: Action, opts?: RequestOptions) =>
  build("threads.custom_action", { thread_id: threadId, item_id: itemId, action }, opts);

// ------------------------------------------------------------------ JSON

export const threadsSyncCustomAction = (
  threadId: string,
  itemId: string | null,
  action: Action,
  opts?: RequestOptions,
) => build("threads.sync_custom_action", { thread_id: threadId, item_id: itemId, action }, opts);

export const threadsGetById = (threadId: string, opts?: RequestOptions) =>
  build("threads.get_by_id", { thread_id: threadId }, opts);

/** The user's threads, newest first by default; pass the previous page's `after` for the next. */
export const threadsList = (page: PageParams = {}, opts?: RequestOptions) => build("threads.list", paging(page), opts);

export const threadsUpdate = (threadId: string, title: string, opts?: RequestOptions) =>
  build("threads.update", { thread_id: threadId, title }, opts);

export const threadsDelete = (threadId: string, opts?: RequestOptions) =>
  build("threads.delete", { thread_id: threadId }, opts);

export const itemsList = (threadId: string, page: PageParams = {}, opts?: RequestOptions) =>
  build("items.list", { thread_id: threadId, ...paging(page) }, opts);

export const itemsFeedback = (threadId: string, itemIds: string[], kind: FeedbackKind, opts?: RequestOptions) =>
  build("items.feedback", { thread_id: threadId, item_ids: itemIds, kind }, opts);
