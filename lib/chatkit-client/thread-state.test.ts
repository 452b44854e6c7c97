/**
 * The thread-state reducer by hand: every stream event type (including those our server never
 * sends: notices, progress, client effects, removals), the requests whose effects the server
 * does not stream, and the promises a UI relies on — inputs never mutated, untouched items
 * kept by reference.
 */
import { describe, expect, it } from "vitest";
import type { Thread, ThreadItem, ThreadStreamEvent } from "@/lib/chatkit/types";
import { ChatKitHttpError, ChatKitProtocolError, StreamCutError } from "./errors";
import {
  threadsAddClientToolOutput,
  threadsAddUserMessage,
  threadsCreate,
  threadsList,
  threadsRetryAfterItem,
  threadsUpdate,
} from "./requests";
import {
  CLIENT_ERROR_CODES,
  appendItems,
  applyEvent,
  applyEvents,
  applyRequest,
  dismissNotice,
  emptyThreadView,
  endStream,
  startStream,
  takeEffects,
  threadErrorOf,
  threadViewFrom,
  type ThreadView,
} from "./thread-state";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Applies events to a frozen view, so any mutation throws. */
const run = (view: ThreadView, ...events: ThreadStreamEvent[]) => applyEvents(deepFreeze(view), events.map(deepFreeze));

const at = "2026-01-01T00:00:00.000Z";
const meta = { id: "thr_1", created_at: at, status: { type: "active" as const }, metadata: {} };
const thread = (items: ThreadItem[] = [], extra: Partial<Thread> = {}): Thread => ({
  ...meta,
  items: { data: items, has_more: false },
  ...extra,
});
const user = (id: string, text = "hi"): ThreadItem => ({
  id,
  thread_id: "thr_1",
  created_at: at,
  type: "user_message",
  content: [{ type: "input_text", text }],
  attachments: [],
  inference_options: {},
});
const reply = (id: string, text = ""): ThreadItem => ({
  id,
  thread_id: "thr_1",
  created_at: at,
  type: "assistant_message",
  content: [{ type: "output_text", text, annotations: [] }],
});
const call = (id: string, status: "pending" | "completed" = "pending"): ThreadItem => ({
  id,
  thread_id: "thr_1",
  created_at: at,
  type: "client_tool_call",
  status,
  call_id: `call_${id}`,
  name: "switch_theme",
  arguments: { theme: "dark" },
});
const hidden = (id: string): ThreadItem => ({
  id,
  thread_id: "thr_1",
  created_at: at,
  type: "hidden_context_item",
  content: "secret",
});
const delta = (itemId: string, text: string): ThreadStreamEvent => ({
  type: "thread.item.updated",
  item_id: itemId,
  update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: text },
});

describe("thread events", () => {
  it("thread.created opens the thread and thread.updated renames it without touching items", () => {
    const v = run(
      emptyThreadView(),
      { type: "thread.created", thread: thread() },
      { type: "thread.item.done", item: user("u1") },
      { type: "thread.updated", thread: thread([], { title: "Hello" }) },
    );
    expect(v.thread).toEqual({ ...meta, title: "Hello" });
    expect(v.items.map((i) => i.id)).toEqual(["u1"]);
  });

  it("threadViewFrom keeps hidden items out and remembers that more items exist", () => {
    const v = threadViewFrom(thread([user("u1"), hidden("h1"), reply("m1", "x")], {}));
    expect(v.items.map((i) => i.id)).toEqual(["u1", "m1"]);
    const paged = threadViewFrom({
      ...thread([user("u1")]),
      items: { data: [user("u1")], has_more: true, after: "u1" },
    });
    expect(paged).toMatchObject({ hasMoreItems: true, itemsAfter: "u1" });
  });
});

describe("appendItems", () => {
  it("appends the next page without hidden items or items already shown, and takes its cursor", () => {
    const first = deepFreeze({
      ...threadViewFrom({ ...thread(), items: { data: [user("u1"), reply("m1")], has_more: true, after: "m1" } }),
    });
    const next = appendItems(first, { data: [reply("m1"), hidden("h1"), call("c1")], has_more: true, after: "c1" });
    expect(next.items.map((i) => i.id)).toEqual(["u1", "m1", "c1"]);
    expect(next.items[0]).toBe(first.items[0]);
    expect(next).toMatchObject({ hasMoreItems: true, itemsAfter: "c1", pendingClientToolCall: { id: "c1" } });
    const last = appendItems(next, { data: [], has_more: false });
    expect(last).toMatchObject({ hasMoreItems: false, itemsAfter: null });
    expect(last.items).toBe(next.items);
  });
});

describe("item events", () => {
  it("added, text deltas and done build a reply; other items stay the same objects", () => {
    const start = threadViewFrom(thread([user("u1")]));
    const v = run(start, { type: "thread.item.added", item: reply("m1") }, delta("m1", "Hel"), delta("m1", "lo"));
    expect(v.items[1]).toMatchObject({ content: [{ text: "Hello" }] });
    expect(v.items[0]).toBe(start.items[0]);
    const done = run(v, { type: "thread.item.done", item: reply("m1", "Hello!") });
    expect(done.items.map((i) => i.id)).toEqual(["u1", "m1"]);
    expect(done.items[1]).toMatchObject({ content: [{ text: "Hello!" }] });
  });

  it("a text delta replaces only the changed item: the others and the rest of the view are shared", () => {
    const v = threadViewFrom(thread([user("u1"), reply("m1", "a"), user("u2"), reply("m2", "b")]));
    const next = applyEvent(v, delta("m2", "c"));
    expect(next.items).not.toBe(v.items);
    for (const i of [0, 1, 2]) expect(next.items[i]).toBe(v.items[i]);
    expect(next.notices).toBe(v.notices);
    expect(next.thread).toBe(v.thread);
  });

  it("done without added adds a one-shot item; a second done with the same id replaces it in place", () => {
    const v = run(
      threadViewFrom(thread([user("u1")])),
      { type: "thread.item.done", item: reply("m1", "one") },
      { type: "thread.item.done", item: user("u2") },
      { type: "thread.item.done", item: reply("m1", "two") },
    );
    expect(v.items.map((i) => i.id)).toEqual(["u1", "m1", "u2"]);
    expect(v.items[1]).toMatchObject({ content: [{ text: "two" }] });
  });

  it("replaced swaps an item in place, removed takes it out, and both ignore unknown ids", () => {
    const start = threadViewFrom(thread([user("u1"), reply("m1", "old"), user("u2")]));
    const v = run(
      start,
      { type: "thread.item.replaced", item: reply("m1", "new") },
      { type: "thread.item.replaced", item: reply("nope", "ghost") },
      { type: "thread.item.removed", item_id: "u2" },
      { type: "thread.item.removed", item_id: "nope" },
    );
    expect(v.items.map((i) => i.id)).toEqual(["u1", "m1"]);
    expect(v.items[1]).toMatchObject({ content: [{ text: "new" }] });
  });

  it("updates for items the view does not hold (hidden, or from before a reload) change nothing", () => {
    const v = threadViewFrom(thread([user("u1")]));
    expect(applyEvent(v, delta("elsewhere", "x"))).toBe(v);
  });

  it("hidden context items never enter the view, whether added or done", () => {
    const v = run(
      emptyThreadView(),
      { type: "thread.item.added", item: hidden("h1") },
      { type: "thread.item.done", item: { ...hidden("h2"), type: "sdk_hidden_context", content: "x" } },
    );
    expect(v.items).toEqual([]);
  });

  it("a pending client tool call as the newest item is surfaced; anything after it clears that", () => {
    const v = run(emptyThreadView(), { type: "thread.item.done", item: call("c1") });
    expect(v.pendingClientToolCall?.id).toBe("c1");
    expect(run(v, { type: "thread.item.done", item: reply("m1", "x") }).pendingClientToolCall).toBeNull();
    expect(
      run(emptyThreadView(), { type: "thread.item.done", item: call("c2", "completed") }).pendingClientToolCall,
    ).toBeNull();
  });

  it("generated_image.updated records progress until the image item is done", () => {
    const img: ThreadItem = { id: "img1", thread_id: "thr_1", created_at: at, type: "generated_image" };
    const mid = run(
      emptyThreadView(),
      { type: "thread.item.added", item: img },
      {
        type: "thread.item.updated",
        item_id: "img1",
        update: { type: "generated_image.updated", image: { id: "i", url: "data:," }, progress: 0.25 },
      },
    );
    expect(mid.imageProgress).toEqual({ img1: 0.25 });
    expect(mid.items[0]).toMatchObject({ image: { url: "data:," } });
    const done = run(mid, { type: "thread.item.done", item: { ...img, image: { id: "i", url: "data:,x" } } });
    expect(done.imageProgress).toEqual({});
  });
});

describe("run events", () => {
  it("stream_options, progress, notices, client effects and errors land in the view", () => {
    const v = run(
      startStream(emptyThreadView()),
      { type: "stream_options", stream_options: { allow_cancel: true } },
      { type: "progress_update", icon: "search", text: "Searching…" },
      { type: "notice", level: "warning", message: "Careful", title: "Heads up" },
      { type: "client_effect", name: "confetti", data: { n: 3 } },
      { type: "client_effect", name: "sound", data: {} },
      { type: "error", code: "custom", message: "No credits left", allow_retry: false },
    );
    expect(v).toMatchObject({
      streaming: true,
      streamOptions: { allow_cancel: true },
      notices: [{ level: "warning", message: "Careful", title: "Heads up" }],
      effects: [
        { name: "confetti", data: { n: 3 } },
        { name: "sound", data: {} },
      ],
      error: { code: "custom", message: "No credits left", allowRetry: false },
      progress: null, // an error ends whatever was in progress
    });
    expect(takeEffects(v).effects).toEqual([]);
    expect(dismissNotice(v, 0).notices).toEqual([]);
    expect(dismissNotice(v, 3)).toBe(v);
  });

  it("the protocol defaults apply to error and notice fields a server leaves out", () => {
    const v = run(emptyThreadView(), { type: "error" } as ThreadStreamEvent, {
      type: "notice",
      level: "info",
      message: "FYI",
    });
    expect(v.error).toEqual({ code: "custom", message: null, allowRetry: false });
    expect(v.notices).toEqual([{ level: "info", message: "FYI", title: null }]);
  });

  it("progress is cleared by the next item event and by the end of the run", () => {
    const withProgress = run(emptyThreadView(), { type: "progress_update", text: "Thinking" });
    expect(withProgress.progress).toEqual({ icon: null, text: "Thinking" });
    expect(run(withProgress, { type: "thread.item.done", item: reply("m1", "x") }).progress).toBeNull();
    expect(endStream(withProgress).progress).toBeNull();
  });

  it("endStream ends streaming, keeps the run's error, and records a failure it is given", () => {
    const v = run(startStream(emptyThreadView()), { type: "stream_options", stream_options: { allow_cancel: true } });
    const ended = endStream(v);
    expect(ended).toMatchObject({ streaming: false, streamOptions: null, error: null });
    const cut = endStream(v, threadErrorOf(new StreamCutError("body_error")));
    expect(cut.error).toEqual({ code: CLIENT_ERROR_CODES.connectionCut, message: null, allowRetry: true });
  });

  it("endStream puts the request's id on the run's error (an error event's or a failure's), so it can be quoted", () => {
    const failed = run(startStream(emptyThreadView()), {
      type: "error",
      code: "custom",
      message: "No",
      allow_retry: true,
    });
    expect(endStream(failed, null, "req-1").error).toMatchObject({ code: "custom", requestId: "req-1" });
    expect(endStream(run(startStream(emptyThreadView())), null, "req-2").error).toBeNull();
  });

  it("an event type this client does not know leaves the view as it is", () => {
    const v = emptyThreadView();
    expect(applyEvent(v, { type: "thread.future_event" } as unknown as ThreadStreamEvent)).toBe(v);
  });
});

describe("requests whose effects the server does not stream", () => {
  const base = () =>
    deepFreeze(
      run(
        startStream(threadViewFrom(thread([user("u1"), reply("m1", "a"), user("u2"), reply("m2", "b")]))),
        { type: "error", code: "stream.error", allow_retry: true },
        { type: "notice", level: "info", message: "n" },
      ),
    );

  it("a new message starts a run: streaming on, the last run's error, notices and options gone", () => {
    const v = applyRequest(endStream(base()), threadsAddUserMessage("thr_1", "more"));
    expect(v).toMatchObject({ streaming: true, error: null, notices: [], streamOptions: null });
    expect(v.items).toHaveLength(4);
  });

  it("threads.create starts from an empty view", () => {
    expect(applyRequest(base(), threadsCreate("new"))).toEqual({ ...emptyThreadView(), streaming: true });
  });

  it("retry_after_item drops every item after the retried message", () => {
    const v = applyRequest(base(), threadsRetryAfterItem("thr_1", "u2"));
    expect(v.items.map((i) => i.id)).toEqual(["u1", "m1", "u2"]);
    expect(applyRequest(base(), threadsRetryAfterItem("thr_1", "unknown")).items).toHaveLength(4);
  });

  it("add_client_tool_output completes the pending call with its output and drops older pending calls", () => {
    const v = deepFreeze(threadViewFrom(thread([call("c0"), user("u1"), call("c1")])));
    const next = applyRequest(v, threadsAddClientToolOutput("thr_1", { theme: "dark" }));
    expect(next.items.map((i) => i.id)).toEqual(["u1", "c1"]);
    expect(next.items[1]).toMatchObject({ status: "completed", output: { theme: "dark" } });
    expect(next.pendingClientToolCall).toBeNull();
    expect(next.streaming).toBe(true);
  });

  it("threads.update renames the open thread only; JSON reads change nothing", () => {
    const v = threadViewFrom(thread([user("u1")]));
    expect(applyRequest(v, threadsUpdate("thr_1", "New name")).thread?.title).toBe("New name");
    expect(applyRequest(v, threadsUpdate("thr_other", "New name"))).toBe(v);
    expect(applyRequest(v, threadsList())).toBe(v);
  });
});

describe("threadErrorOf", () => {
  it("tells a dropped connection, a refusal and an unreadable answer apart", () => {
    expect(threadErrorOf(new StreamCutError("mid_frame")).code).toBe(CLIENT_ERROR_CODES.connectionCut);
    expect(threadErrorOf(new ChatKitHttpError(404, "not_found", "No such thread."))).toEqual({
      code: "not_found",
      message: "No such thread.",
      allowRetry: false,
    });
    expect(threadErrorOf(new ChatKitHttpError(503, "unavailable", "Busy")).allowRetry).toBe(true);
    expect(threadErrorOf(new ChatKitHttpError(429, "rate_limited", "Slow down")).allowRetry).toBe(true);
    expect(threadErrorOf(new ChatKitProtocolError("bad")).code).toBe(CLIENT_ERROR_CODES.protocol);
    expect(threadErrorOf(new Error("?"))).toEqual({ code: "stream.error", message: null, allowRetry: true });
  });
});
