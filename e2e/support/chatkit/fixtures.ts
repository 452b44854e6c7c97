/**
 * ChatKit inputs and items for tests, written once: what a client sends (`userInput`,
 * `createReq`) and what a store holds (`thread`, `userMessage`, `assistantMessage`). Vitest
 * files, the resilience suite and the benchmark all build their requests from here.
 */
import type { Attachment, ThreadItem, ThreadMetadata } from "@/lib/chatkit/types";

let n = 0;
/** A fresh id with the protocol's prefix (`thr`, `msg`, `atc`…), unique within the process. */
export const uid = (p: string) => `${p}_${Date.now().toString(36)}_${(n++).toString(36)}`;
/** A fixed instant `ms` milliseconds into 2026, for items whose order a test sets. */
export const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();

/** A user message as a client sends it (`threads.create` / `threads.add_user_message` input). */
export const userInput = (text: string, extra: Record<string, unknown> = {}) => ({
  content: [{ type: "input_text", text }],
  attachments: [],
  inference_options: {},
  ...extra,
});

/** A `threads.create` request with that message. */
export const createReq = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "threads.create",
  params: { input: userInput(text, extra) },
});

export function thread(id = uid("thr"), over: Partial<ThreadMetadata> = {}): ThreadMetadata {
  return { id, created_at: at(n++), status: { type: "active" }, metadata: {}, ...over };
}

export function userMessage(
  threadId: string,
  id: string,
  text: string,
  createdAt: string,
  attachments: Attachment[] = [],
): ThreadItem {
  return {
    type: "user_message",
    id,
    thread_id: threadId,
    created_at: createdAt,
    content: [{ type: "input_text", text }],
    attachments,
    inference_options: {},
  };
}

export function assistantMessage(threadId: string, id: string, text: string, createdAt: string): ThreadItem {
  return {
    type: "assistant_message",
    id,
    thread_id: threadId,
    created_at: createdAt,
    content: [{ type: "output_text", text, annotations: [] }],
  };
}
