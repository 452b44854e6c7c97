/** Test harness for ChatKitServer: configurable hook doubles and SSE readers. */
import { expect } from "vitest";
import { createReq } from "./fixtures";
import {
  ChatKitServer,
  type ProcessOptions,
  type ProcessResult,
  type RunControl,
  type AudioInput,
} from "@/lib/chatkit/server";
import { InMemoryStore, nowIso, type AttachmentStore, type Store } from "@/lib/chatkit/store";
import type {
  Action,
  FeedbackKind,
  SyncCustomActionResponse,
  ThreadMetadata,
  ThreadStreamEvent,
  TranscriptionResult,
  UserMessageItem,
  WidgetItem,
} from "@/lib/chatkit/types";

export type Ctx = { user_id: string };
export const DEFAULT_CTX: Ctx = { user_id: "test_user" };

type Respond = (
  thread: ThreadMetadata,
  input: UserMessageItem | null,
  ctx: Ctx,
  run: RunControl,
) => AsyncIterable<ThreadStreamEvent>;
type ActionFn = (
  thread: ThreadMetadata,
  action: Action,
  sender: WidgetItem | null,
  ctx: Ctx,
  run: RunControl,
) => AsyncIterable<ThreadStreamEvent>;

export class TestServer extends ChatKitServer<Ctx> {
  respondImpl: Respond = async function* () {};
  actionImpl: ActionFn | null = null;
  syncImpl:
    ((thread: ThreadMetadata, action: Action, sender: WidgetItem | null) => Promise<SyncCustomActionResponse>) | null =
    null;
  transcribeImpl: ((audio: AudioInput, ctx: Ctx) => Promise<TranscriptionResult>) | null = null;
  calls = {
    respond: [] as { thread: ThreadMetadata; input: UserMessageItem | null; ctx: Ctx }[],
    action: [] as { action: Action; sender: WidgetItem | null; ctx: Ctx }[],
    sync: [] as { action: Action; sender: WidgetItem | null }[],
    feedback: [] as { threadId: string; itemIds: string[]; kind: FeedbackKind; ctx: Ctx }[],
    transcribe: [] as { audio: AudioInput; ctx: Ctx }[],
  };

  respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    ctx: Ctx,
    run: RunControl,
  ): AsyncIterable<ThreadStreamEvent> {
    this.calls.respond.push({ thread, input: input ? structuredClone(input) : null, ctx });
    return this.respondImpl(thread, input, ctx, run);
  }
  action(
    thread: ThreadMetadata,
    action: Action,
    sender: WidgetItem | null,
    ctx: Ctx,
    run: RunControl,
  ): AsyncIterable<ThreadStreamEvent> {
    this.calls.action.push({ action, sender, ctx });
    return this.actionImpl
      ? this.actionImpl(thread, action, sender, ctx, run)
      : super.action(thread, action, sender, ctx, run);
  }
  async syncAction(
    thread: ThreadMetadata,
    action: Action,
    sender: WidgetItem | null,
    ctx: Ctx,
  ): Promise<SyncCustomActionResponse> {
    this.calls.sync.push({ action, sender });
    return this.syncImpl ? this.syncImpl(thread, action, sender) : super.syncAction(thread, action, sender, ctx);
  }
  async addFeedback(threadId: string, itemIds: string[], kind: FeedbackKind, ctx: Ctx): Promise<void> {
    this.calls.feedback.push({ threadId, itemIds, kind, ctx });
  }
  async transcribe(audio: AudioInput, ctx: Ctx): Promise<TranscriptionResult> {
    this.calls.transcribe.push({ audio, ctx });
    return this.transcribeImpl ? this.transcribeImpl(audio, ctx) : super.transcribe(audio, ctx);
  }
}

export function makeServer(opts: { store?: Store<Ctx>; attachments?: AttachmentStore<Ctx> | null } = {}) {
  const store = opts.store ?? new InMemoryStore<Ctx>((c) => c.user_id);
  const server = new TestServer(store, opts.attachments ?? null);
  return { server, store };
}

export type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Parse SSE bytes, asserting the exact `data: <json>\n\n` framing. */
export function parseSseStrict(text: string): Event[] {
  if (text === "") return [];
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((frame) => {
      expect(frame.startsWith("data: ")).toBe(true);
      const json = frame.slice(6);
      expect(json.includes("\n")).toBe(false);
      expect(JSON.stringify(JSON.parse(json))).toBe(json); // compact
      return JSON.parse(json) as Event;
    });
}

export type Answer = { status: number; json?: any; events: Event[]; raw: string; result: ProcessResult }; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function post(
  server: ChatKitServer<Ctx, unknown>,
  req: unknown,
  ctx: Ctx = DEFAULT_CTX,
  opts: ProcessOptions = {},
): Promise<Answer> {
  const body = typeof req === "string" ? req : JSON.stringify(req);
  const result = await server.process(body, ctx, opts);
  if (result.kind === "json")
    return { status: result.status, json: JSON.parse(result.body), events: [], raw: result.body, result };
  const raw = await new Response(result.stream).text();
  await result.done;
  return { status: 200, events: parseSseStrict(raw), raw, result };
}

export async function create(
  server: ChatKitServer<Ctx, unknown>,
  text = "Hello, world!",
  extra: Record<string, unknown> = {},
  ctx: Ctx = DEFAULT_CTX,
) {
  const answer = await post(server, createReq(text, extra), ctx);
  const thread = answer.events.find((e) => e.type === "thread.created")?.thread;
  return { ...answer, thread };
}

const now = () => nowIso();
export const assistant = (threadId: string, id: string, text: string) => ({
  type: "assistant_message" as const,
  id,
  thread_id: threadId,
  created_at: now(),
  content: [{ type: "output_text" as const, text, annotations: [] }],
});
export const widgetItem = (threadId: string, id: string, widget: Record<string, unknown>) => ({
  type: "widget" as const,
  id,
  thread_id: threadId,
  created_at: now(),
  widget: widget as { type: string },
});
export const userMsg = (threadId: string, id: string, text: string) => ({
  type: "user_message" as const,
  id,
  thread_id: threadId,
  created_at: now(),
  content: [{ type: "input_text" as const, text }],
  attachments: [],
  inference_options: {},
});
