/** The request builders send exactly what the server's own schema accepts, defaults filled in. */
import { describe, expect, it } from "vitest";
import { ChatKitReq, NON_STREAMING_REQUEST_TYPES, STREAMING_REQUEST_TYPES } from "@/lib/chatkit/types";
import {
  isStreamingRequest,
  itemsFeedback,
  itemsList,
  threadsAddClientToolOutput,
  threadsAddStructuredInput,
  threadsAddUserMessage,
  threadsCreate,
  threadsCustomAction,
  threadsDelete,
  threadsGetById,
  threadsList,
  threadsRetryAfterItem,
  threadsSyncCustomAction,
  threadsUpdate,
  userMessageInput,
} from "./requests";

const built = [
  threadsCreate("Hello"),
  threadsCreate({ content: [{ type: "input_text", text: "Hi" }], quoted_text: "quote", attachments: ["att_1"] }),
  threadsAddUserMessage("thr_1", "More", { metadata: { source: "composer" } }),
  threadsAddClientToolOutput("thr_1", { success: true }),
  threadsAddClientToolOutput("thr_1", null),
  threadsAddStructuredInput("thr_1", "si_1", { answers: { q1: { values: ["a"], skipped: false } } }),
  threadsRetryAfterItem("thr_1", "msg_1"),
  threadsCustomAction("thr_1", "w_1", { type: "fact.save", payload: { fact_id: "fact_1" } }),
  threadsCustomAction("thr_1", null, { type: "ping" }),
  threadsSyncCustomAction("thr_1", "w_1", { type: "toggle" }),
  threadsGetById("thr_1"),
  threadsList(),
  threadsList({ limit: 10, after: "thr_9", order: "asc" }),
  threadsUpdate("thr_1", "Title"),
  threadsDelete("thr_1"),
  itemsList("thr_1"),
  itemsList("thr_1", { limit: 5, after: null }),
  itemsFeedback("thr_1", ["msg_1"], "negative"),
];

describe("request builders", () => {
  it("build requests the server's schema accepts unchanged (every default already filled in)", () => {
    for (const req of built) {
      const parsed = ChatKitReq.safeParse(JSON.parse(JSON.stringify(req)));
      expect(parsed.success, JSON.stringify(req)).toBe(true);
      expect(parsed.data).toEqual(req);
    }
  });

  it("cover every request type a chat UI sends", () => {
    const types = new Set(built.map((r) => r.type));
    for (const t of [...STREAMING_REQUEST_TYPES, ...NON_STREAMING_REQUEST_TYPES]) {
      if (t.startsWith("attachments.") || t === "input.transcribe") continue; // uploads and dictation: not built here
      expect(types).toContain(t);
    }
  });

  it("isStreamingRequest agrees with the server on every request type", () => {
    for (const type of STREAMING_REQUEST_TYPES) expect(isStreamingRequest({ type } as ChatKitReq)).toBe(true);
    for (const type of NON_STREAMING_REQUEST_TYPES) expect(isStreamingRequest({ type } as ChatKitReq)).toBe(false);
  });

  it("paging leaves out what was not asked for and orders newest first by default", () => {
    expect(threadsList().params).toEqual({ order: "desc" });
    expect(itemsList("thr_1", { after: null, limit: 0 }).params).toEqual({
      thread_id: "thr_1",
      order: "desc",
      limit: 0,
    });
  });

  it("a message given as text becomes one input_text part with the protocol's defaults", () => {
    expect(userMessageInput("Hi")).toEqual({
      content: [{ type: "input_text", text: "Hi" }],
      attachments: [],
      inference_options: {},
    });
  });
});
