import { describe, expect, it } from "vitest";
import { CustomStreamError, StreamError } from "./errors";
import { CANCELLED_STREAM_NOTE } from "./server";
import { InMemoryStore, nowIso, type AttachmentStore } from "./store";
import { countingIds } from "@/e2e/support/chatkit/store-contract";
import { createReq, userInput } from "@/e2e/support/chatkit/fixtures";
import {
  assistant,
  create,
  DEFAULT_CTX,
  makeServer,
  parseSseStrict,
  post,
  userMsg,
  widgetItem,
  type Ctx,
  type Event,
} from "@/e2e/support/chatkit/harness";
import type { Attachment, ThreadItem, ThreadStreamEvent, WorkflowItem } from "./types";
import { streamWidget, Card, Text } from "./widgets";

const ctx = DEFAULT_CTX;
const types = (events: Event[]) => events.map((e) => e.type);
const never = () => new Promise<never>(() => {});

/** Read frames until `stop(event)` is true, then abort via `how`. */
async function streamThenAbort(
  server: ReturnType<typeof makeServer>["server"],
  req: unknown,
  stop: (e: Event) => boolean,
  how: "signal" | "cancel",
) {
  const ac = new AbortController();
  const result = await server.process(JSON.stringify(req), ctx, { signal: ac.signal });
  if (result.kind !== "stream") throw new Error("expected a stream");
  const reader = result.stream.getReader();
  const dec = new TextDecoder();
  const seen: Event[] = [];
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    const evts = parseSseStrict(dec.decode(r.value));
    seen.push(...evts);
    if (evts.some(stop)) break;
  }
  if (how === "signal") ac.abort();
  else await reader.cancel();
  await result.done;
  return seen;
}

describe("server conformance (PROTOCOL.md §11, C cases)", () => {
  for (const how of ["signal", "cancel"] as const) {
    it(`C1: cancellation keeps a non-empty pending assistant message (${how})`, async () => {
      const { server, store } = makeServer();
      server.respondImpl = async function* (thread) {
        yield {
          type: "thread.item.added",
          item: {
            ...assistant(thread.id, "assistant-message-pending", "Hello, "),
            content: [{ type: "output_text", text: "Hello, ", annotations: [] }],
          },
        };
        yield {
          type: "thread.item.updated",
          item_id: "assistant-message-pending",
          update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "World!" },
        };
        await never();
      };
      const seen = await streamThenAbort(server, createReq("hi"), (e) => e.type === "thread.item.updated", how);
      const threadId = seen[0]!.thread.id as string;
      const newest = (await store.loadThreadItems(threadId, null, 1, "desc", ctx)).data[0]!;
      expect(newest.type).toBe("sdk_hidden_context");
      expect(newest.type === "sdk_hidden_context" && newest.content).toBe(CANCELLED_STREAM_NOTE);
      const kept = await store.loadItem(threadId, "assistant-message-pending", ctx);
      expect(kept.type === "assistant_message" && kept.content[0]!.text).toBe("Hello, World!");
    });
  }

  it("C2: cancellation drops an empty pending assistant message", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.added",
        item: { ...assistant(thread.id, "assistant-message-pending", ""), content: [] },
      };
      await never();
    };
    const seen = await streamThenAbort(server, createReq("hi"), (e) => e.type === "thread.item.added", "signal");
    const threadId = seen[0]!.thread.id as string;
    expect((await store.loadThreadItems(threadId, null, 1, "desc", ctx)).data[0]!.type).toBe("sdk_hidden_context");
    await expect(store.loadItem(threadId, "assistant-message-pending", ctx)).rejects.toThrow(/not found/);
  });

  it("C3: pending tracking does not mutate the streamed item", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      const wf: WorkflowItem = {
        type: "workflow",
        id: "workflow-item",
        thread_id: thread.id,
        created_at: nowIso(),
        workflow: { type: "custom", tasks: [], expanded: false },
      };
      yield { type: "thread.item.added", item: wf };
      const task = { type: "custom" as const, title: "foo", content: "bar", status_indicator: "none" as const };
      yield {
        type: "thread.item.updated",
        item_id: wf.id,
        update: { type: "workflow.task.added", task_index: 0, task },
      };
      wf.workflow.tasks.push(task);
      yield { type: "thread.item.done", item: wf };
    };
    const { events, thread } = await create(server);
    const done = events.find((e) => e.type === "thread.item.done" && e.item.type === "workflow")!;
    expect(done.item.workflow.tasks).toHaveLength(1);
    expect(done.item.workflow.tasks[0].title).toBe("foo");
    const stored = await store.loadItem(thread.id, "workflow-item", ctx);
    expect(stored.type === "workflow" && stored.workflow.tasks).toHaveLength(1);
  });

  it("C4: the request context reaches respond and add_feedback unchanged", async () => {
    const { server } = makeServer();
    const custom: Ctx = { user_id: "ctx_user_x" };
    const { thread } = await create(server, "hi", {}, custom);
    expect(server.calls.respond[0]!.ctx).toBe(custom);
    await post(
      server,
      { type: "items.feedback", params: { thread_id: thread.id, item_ids: ["a"], kind: "positive" } },
      custom,
    );
    expect(server.calls.feedback[0]!.ctx).toBe(custom);
  });

  it("C5: threads.create emits thread.created, the user message and stream_options", async () => {
    const { server } = makeServer();
    const { events } = await create(server, "Hello, world!", { quoted_text: "Quoted text" });
    expect(types(events)).toEqual(["thread.created", "thread.item.done", "stream_options"]);
    expect("title" in events[0]!.thread).toBe(false);
    expect(events[0]!.thread.items).toEqual({ data: [], has_more: false });
    expect(events[0]!.thread.metadata).toEqual({});
    expect(events[1]!.item.type).toBe("user_message");
    expect(events[1]!.item.content[0].text).toBe("Hello, world!");
    expect(events[1]!.item.quoted_text).toBe("Quoted text");
    expect(events[2]!.stream_options).toEqual({ allow_cancel: true });
  });

  it("C6: a title set in respond is stored and announced last", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.title = "Updated title";
    };
    const { events, thread } = await create(server);
    expect((await store.loadThread(thread.id, ctx)).title).toBe("Updated title");
    expect(events.at(-1)!.type).toBe("thread.updated");
    expect(events.at(-1)!.thread.title).toBe("Updated title");
  });

  it("C7: metadata set in respond is stored; thread.updated shows empty metadata", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.metadata.test_key = "test_value";
    };
    const { events, thread } = await create(server);
    expect((await store.loadThread(thread.id, ctx)).metadata).toEqual({ test_key: "test_value" });
    expect(events.at(-1)!.type).toBe("thread.updated");
    expect(events.at(-1)!.thread.metadata).toEqual({});
  });

  it("C8: a status set in respond is stored and announced", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.status = { type: "locked", reason: "Because" };
    };
    const { events, thread } = await create(server);
    expect((await store.loadThread(thread.id, ctx)).status).toEqual({ type: "locked", reason: "Because" });
    expect(events.at(-1)!.thread.status).toEqual({ type: "locked", reason: "Because" });
  });

  it("C9: allowed_image_domains set in respond are stored and announced", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.allowed_image_domains = ["example.com", "images.example.com"];
    };
    const { events, thread } = await create(server);
    expect((await store.loadThread(thread.id, ctx)).allowed_image_domains).toEqual([
      "example.com",
      "images.example.com",
    ]);
    expect(events.at(-1)!.thread.allowed_image_domains).toEqual(["example.com", "images.example.com"]);
  });

  it("C10: unset allowed_image_domains are omitted from thread JSON", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.title = "Updated title";
    };
    const { events } = await create(server);
    expect("allowed_image_domains" in events[0]!.thread).toBe(false);
    const updated = events.find((e) => e.type === "thread.updated")!;
    expect("allowed_image_domains" in updated.thread).toBe(false);
    expect(updated.thread.title).toBe("Updated title");
  });

  it("C11: thread.updated follows the next event after a mid-stream change", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.done", item: assistant(thread.id, "assistant_a", "A") };
      thread.title = "Mid-stream title";
      yield { type: "thread.item.done", item: assistant(thread.id, "assistant_b", "B") };
      yield { type: "thread.item.done", item: assistant(thread.id, "assistant_c", "C") };
    };
    const { events, thread } = await create(server);
    const b = events.findIndex((e) => e.type === "thread.item.done" && e.item.id === "assistant_b");
    expect(events[b + 1]!.type).toBe("thread.updated");
    expect(events[b + 1]!.thread.title).toBe("Mid-stream title");
    expect(events[b + 2]!.item.id).toBe("assistant_c");
    expect(events.filter((e) => e.type === "thread.updated")).toHaveLength(1);
    expect((await store.loadThread(thread.id, ctx)).title).toBe("Mid-stream title");
  });

  it("C12: client tool call round trip (exact event counts)", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread, input) {
      if (input) {
        yield {
          type: "thread.item.done",
          item: {
            type: "client_tool_call",
            id: "msg_1",
            thread_id: thread.id,
            created_at: nowIso(),
            status: "pending",
            call_id: "tool_call_1",
            name: "tool_call_1",
            arguments: { arg1: "val1", arg2: false },
          },
        };
      } else {
        yield { type: "thread.item.done", item: assistant(thread.id, "msg_2", "Glad the tool call succeeded!") };
      }
    };
    const { events, thread } = await create(server);
    expect(types(events)).toEqual(["thread.created", "thread.item.done", "stream_options", "thread.item.done"]);
    const call = events[3]!.item;
    expect(call).toMatchObject({
      type: "client_tool_call",
      id: "msg_1",
      name: "tool_call_1",
      call_id: "tool_call_1",
      arguments: { arg1: "val1", arg2: false },
      status: "pending",
    });
    expect("output" in call).toBe(false);
    const second = await post(server, {
      type: "threads.add_client_tool_output",
      params: { thread_id: thread.id, result: { text: "Wow!" } },
    });
    expect(types(second.events)).toEqual(["stream_options", "thread.item.done"]);
    expect(second.events[1]!.item.type).toBe("assistant_message");
    const stored = await store.loadItem(thread.id, "msg_1", ctx);
    expect(stored).toMatchObject({ status: "completed", output: { text: "Wow!" } });
  });

  it("C13: progress_update passes through", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "progress_update", text: "Tool status" };
      yield { type: "thread.item.done", item: assistant(thread.id, "a", "done") };
    };
    const { events } = await create(server);
    expect(types(events)).toEqual([
      "thread.created",
      "thread.item.done",
      "stream_options",
      "progress_update",
      "thread.item.done",
    ]);
    expect(events[3]).toEqual({ type: "progress_update", text: "Tool status" });
  });

  for (const id of ["C14", "C32"]) {
    it(`${id}: threads.list paginates 25 threads (20 + 5)`, async () => {
      const { server } = makeServer();
      for (let i = 0; i < 25; i++) await create(server, `t${i}`);
      const first = await post(server, { type: "threads.list", params: { limit: 20 } });
      expect(first.json.data).toHaveLength(20);
      if (id === "C14") expect(first.json.data[0].created_at > first.json.data[1].created_at).toBe(true);
      expect(first.json.has_more).toBe(true);
      expect(first.json.after).toBe(first.json.data[19].id);
      const second = await post(server, { type: "threads.list", params: { after: first.json.data[19].id } });
      expect(second.json.data).toHaveLength(5);
      expect(second.json.has_more).toBe(false);
      expect("after" in second.json).toBe(false);
      for (const t of [...first.json.data, ...second.json.data]) {
        expect(t.items).toEqual({ data: [], has_more: false });
        expect(t.metadata).toEqual({});
      }
    });
  }

  it("C15: items.list paginates 26 items newest first", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      for (let i = 0; i < 25; i++) yield { type: "thread.item.done", item: userMsg(thread.id, `msg_${i}`, `m${i}`) };
    };
    const { thread } = await create(server);
    const first = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(first.json.data).toHaveLength(20);
    expect(first.json.data[0].id).toBe("msg_24");
    expect(first.json.has_more).toBe(true);
    expect(first.json.after).toBe(first.json.data[19].id);
    const second = await post(server, {
      type: "items.list",
      params: { thread_id: thread.id, after: first.json.data[19].id },
    });
    expect(second.json.data).toHaveLength(6);
    expect(second.json.has_more).toBe(false);
    const asc = await post(server, { type: "items.list", params: { thread_id: thread.id, order: "asc", limit: 3 } });
    expect(asc.json.data.map((i: Event) => i.type)).toEqual(["user_message", "user_message", "user_message"]);
    expect(asc.json.data[1].id).toBe("msg_0");
  });

  const widgetThread = async () => {
    const ctxServer = makeServer();
    ctxServer.server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.done",
        item: widgetItem(thread.id, "widget_1", {
          type: "Card",
          children: [{ type: "Text", key: "text_1", value: "test" }],
        }),
      };
    };
    const { thread } = await create(ctxServer.server);
    return { ...ctxServer, thread };
  };
  const emailSent = { type: "Card", children: [{ type: "Text", value: "Email sent!" }] };

  it("C16: streaming custom action calls action() with the stored sender", async () => {
    const { server, thread, store } = await widgetThread();
    server.actionImpl = async function* (_t, _a, sender) {
      yield {
        type: "thread.item.updated",
        item_id: sender!.id,
        update: { type: "widget.root.updated", widget: emailSent },
      };
    };
    const action = { type: "create_user", payload: { user_id: "123" } };
    const { events } = await post(server, {
      type: "threads.custom_action",
      params: { thread_id: thread.id, item_id: "widget_1", action },
    });
    expect(server.calls.action).toHaveLength(1);
    expect(server.calls.action[0]!.action).toEqual(action);
    expect(server.calls.action[0]!.sender).toEqual(await store.loadItem(thread.id, "widget_1", ctx));
    expect(types(events)).toEqual(["stream_options", "thread.item.updated"]);
    expect(events[1]!.update).toEqual({ type: "widget.root.updated", widget: emailSent });
  });

  const siItem = (threadId: string, inputs: unknown[]) =>
    ({
      type: "structured_input",
      id: "si_1",
      thread_id: threadId,
      created_at: nowIso(),
      status: "pending",
      inputs,
    }) as ThreadItem;
  const subject = {
    type: "multiple_choice",
    id: "subject",
    question: "Which subject is this lesson for?",
    options: [{ value: "Math" }, { value: "Science" }],
    multiple: false,
  };
  const details = { type: "freeform", id: "details", question: "Anything else to know?" };
  const siServer = async (inputs: unknown[]) => {
    const s = makeServer();
    s.server.respondImpl = async function* (thread, input) {
      if (input) yield { type: "thread.item.done", item: siItem(thread.id, inputs) };
      else yield { type: "thread.item.done", item: assistant(thread.id, "msg_after_structured_input", "thanks") };
    };
    const { thread } = await create(s.server);
    return { ...s, thread };
  };
  const submit = (server: ReturnType<typeof makeServer>["server"], threadId: string, input: unknown) =>
    post(server, { type: "threads.add_structured_input", params: { thread_id: threadId, item_id: "si_1", input } });

  it("C17: structured input answered; the turn resumes", async () => {
    const { server, store, thread } = await siServer([subject, details]);
    const { events } = await submit(server, thread.id, {
      status: "answered",
      answers: { subject: { values: ["Private class"] }, details: { values: ["Please include group work."] } },
    });
    expect(types(events)).toEqual(["stream_options", "thread.item.replaced", "thread.item.done"]);
    const replaced = events[1]!.item;
    expect(replaced.status).toBe("answered");
    expect(replaced.inputs[0].answer).toEqual({ values: ["Private class"], skipped: false });
    expect(replaced.inputs[1].answer.values).toEqual(["Please include group work."]);
    expect(await store.loadItem(thread.id, "si_1", ctx)).toEqual(replaced);
    expect(events[2]!.item.id).toBe("msg_after_structured_input");
    expect(server.calls.respond.at(-1)!.input).toBeNull();
  });

  it("C18: omitted answers become skipped", async () => {
    const { server, thread } = await siServer([subject, details]);
    const { events } = await submit(server, thread.id, { answers: { subject: { values: ["Math"] } } });
    expect(events[1]!.item.inputs[0].answer.values).toEqual(["Math"]);
    expect(events[1]!.item.inputs[1].answer).toEqual({ values: [], skipped: true });
  });

  it("C19: unknown answer ids are ignored", async () => {
    const { server, thread } = await siServer([details]);
    const { events } = await submit(server, thread.id, {
      answers: { details: { values: ["Please include group work."] }, unknown: { values: ["ignored"] } },
    });
    expect(events[1]!.item.inputs[0].answer.values).toEqual(["Please include group work."]);
    expect(events[1]!.item.inputs).toHaveLength(1);
  });

  it("C20: a single-choice answer is truncated to its first value", async () => {
    const { server, store, thread } = await siServer([subject]);
    const { events } = await submit(server, thread.id, {
      status: "answered",
      answers: { subject: { values: ["Math", "Science"] } },
    });
    expect(events[1]!.item.inputs[0].answer.values).toEqual(["Math"]);
    const stored = await store.loadItem(thread.id, "si_1", ctx);
    expect(stored).toMatchObject({ status: "answered", inputs: [{ answer: { values: ["Math"], skipped: false } }] });
  });

  it("C21: sync custom action returns the hook's item as JSON", async () => {
    const { server, thread, store } = await widgetThread();
    server.syncImpl = async (_t, _a, sender) => ({ updated_item: { ...sender!, widget: emailSent } });
    const action = { type: "create_user", payload: { user_id: "123" } };
    const res = await post(server, {
      type: "threads.sync_custom_action",
      params: { thread_id: thread.id, item_id: "widget_1", action },
    });
    expect(res.status).toBe(200);
    expect(server.calls.sync).toHaveLength(1);
    expect(server.calls.sync[0]!.sender).toEqual(await store.loadItem(thread.id, "widget_1", ctx));
    const sender = await store.loadItem(thread.id, "widget_1", ctx);
    expect(res.json).toEqual({ updated_item: { ...sender, widget: emailSent } });
  });

  it("C22: feedback is forwarded to add_feedback", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.done", item: assistant(thread.id, "assistant_msg_1", "x") };
      yield { type: "thread.item.done", item: widgetItem(thread.id, "widget_1", { type: "Card", children: [] }) };
    };
    const { thread } = await create(server);
    const a = await post(server, {
      type: "items.feedback",
      params: { thread_id: thread.id, item_ids: ["assistant_msg_1"], kind: "positive" },
    });
    const b = await post(server, {
      type: "items.feedback",
      params: { thread_id: thread.id, item_ids: ["widget_1"], kind: "negative" },
    });
    expect(a.raw).toBe("{}");
    expect(b.raw).toBe("{}");
    expect(server.calls.feedback.map((f) => [f.threadId, f.itemIds, f.kind])).toEqual([
      [thread.id, ["assistant_msg_1"], "positive"],
      [thread.id, ["widget_1"], "negative"],
    ]);
  });

  it("C23: threads.get_by_id returns the thread with its oldest items", async () => {
    const { server } = makeServer();
    const { thread } = await create(server, "Test thread");
    const res = await post(server, { type: "threads.get_by_id", params: { thread_id: thread.id } });
    expect(res.json.id).toBe(thread.id);
    expect(res.json.title).toBeUndefined();
    expect(res.json.items.data[0].type).toBe("user_message");
    expect(res.json.items.data[0].content[0].text).toBe("Test thread");
  });

  class TestAttachments implements AttachmentStore<Ctx> {
    deleted: string[] = [];
    created: Attachment[] = [];
    constructor(private readonly store: InMemoryStore<Ctx>) {}
    async createAttachment(input: { name: string; size: number; mime_type: string }): Promise<Attachment> {
      const id = `atc_${this.created.length + 1}`;
      const upload_descriptor = {
        url: `https://example.com/${id}/upload`,
        method: "PUT" as const,
        headers: { "X-My-Header": "my-value" },
      };
      const a: Attachment = input.mime_type.startsWith("image/")
        ? {
            type: "image",
            id,
            name: input.name,
            mime_type: input.mime_type,
            preview_url: `https://example.com/${id}/preview`,
            upload_descriptor,
            metadata: { source: "test" },
          }
        : {
            type: "file",
            id,
            name: input.name,
            mime_type: input.mime_type,
            upload_descriptor,
            metadata: { source: "test" },
          };
      this.created.push(a);
      return a;
    }
    async deleteAttachment(id: string): Promise<void> {
      this.deleted.push(id);
      void this.store;
    }
  }
  const attachmentServer = () => {
    const store = new InMemoryStore<Ctx>((c) => c.user_id);
    const attachments = new TestAttachments(store);
    return { ...makeServer({ store, attachments }), attachments };
  };

  it("C24: attachments.create (file, two-phase) hides metadata from the client", async () => {
    const { server, store } = attachmentServer();
    const res = await post(server, {
      type: "attachments.create",
      params: { name: "test-file-name", size: 1024, mime_type: "text/plain" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: "file", name: "test-file-name", mime_type: "text/plain" });
    expect(res.json.id).toBeTruthy();
    expect(res.json.upload_descriptor).toEqual({
      url: `https://example.com/${res.json.id}/upload`,
      method: "PUT",
      headers: { "X-My-Header": "my-value" },
    });
    expect("metadata" in res.json).toBe(false);
    expect((await store.loadAttachment(res.json.id, ctx)).metadata).toEqual({ source: "test" });
  });

  it("C25: attachments.create (image) carries a preview_url", async () => {
    const { server } = attachmentServer();
    const res = await post(server, {
      type: "attachments.create",
      params: { name: "p.png", size: 10, mime_type: "image/png" },
    });
    expect(res.json.type).toBe("image");
    expect(res.json.preview_url).toBe(`https://example.com/${res.json.id}/preview`);
    expect(res.json.upload_descriptor.method).toBe("PUT");
  });

  it("C26: attachment metadata is never serialised in items", async () => {
    const { server, store } = makeServer();
    await store.saveAttachment(
      { type: "file", id: "file_with_metadata", name: "f", mime_type: "text/plain", metadata: { source: "test" } },
      ctx,
    );
    const { thread, raw } = await create(server, "hi", { attachments: ["file_with_metadata"] });
    expect(raw.includes('"metadata":{"source"')).toBe(false);
    const list = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    const msg = list.json.data.find((i: Event) => i.type === "user_message");
    expect(msg.attachments[0].id).toBe("file_with_metadata");
    expect("metadata" in msg.attachments[0]).toBe(false);
  });

  it("C27: an attachment gets the thread id on threads.create", async () => {
    const { server, store } = makeServer();
    await store.saveAttachment({ type: "file", id: "att_1", name: "f", mime_type: "text/plain" }, ctx);
    const { thread, events } = await create(server, "hi", { attachments: ["att_1"] });
    expect((await store.loadAttachment("att_1", ctx)).thread_id).toBe(thread.id);
    expect(events[1]!.item.attachments[0]).toEqual({
      type: "file",
      id: "att_1",
      name: "f",
      mime_type: "text/plain",
      thread_id: thread.id,
    });
  });

  it("C28: an attachment gets the thread id on add_user_message", async () => {
    const { server, store } = makeServer();
    const { thread } = await create(server);
    await store.saveAttachment(
      { type: "image", id: "att_2", name: "i", mime_type: "image/png", preview_url: "https://x/p" },
      ctx,
    );
    const res = await post(server, {
      type: "threads.add_user_message",
      params: { thread_id: thread.id, input: userInput("more", { attachments: ["att_2"] }) },
    });
    expect(types(res.events)).toEqual(["thread.item.done", "stream_options"]);
    expect((await store.loadAttachment("att_2", ctx)).thread_id).toBe(thread.id);
  });

  it("C29: attachments.create without an attachment store fails with a JSON error", async () => {
    const { server } = makeServer();
    const res = await post(server, {
      type: "attachments.create",
      params: { name: "n", size: 1, mime_type: "text/plain" },
    });
    expect(res.status).toBe(501);
    expect(res.json).toEqual({ detail: expect.any(String), code: "attachments_not_supported" });
  });

  it("C30: attachments.delete removes bytes and metadata", async () => {
    const { server, store, attachments } = attachmentServer();
    await store.saveAttachment({ type: "file", id: "test-file-id", name: "f", mime_type: "text/plain" }, ctx);
    const res = await post(server, { type: "attachments.delete", params: { attachment_id: "test-file-id" } });
    expect(res.raw).toBe("{}");
    expect(attachments.deleted).toEqual(["test-file-id"]);
    await expect(store.loadAttachment("test-file-id", ctx)).rejects.toThrow(/not found/);
  });

  it("C31: attachments.delete without an attachment store fails", async () => {
    const { server, store } = makeServer();
    await store.saveAttachment({ type: "file", id: "test-file-id", name: "f", mime_type: "text/plain" }, ctx);
    const res = await post(server, { type: "attachments.delete", params: { attachment_id: "test-file-id" } });
    expect(res.status).toBe(501);
    expect((await store.loadAttachment("test-file-id", ctx)).id).toBe("test-file-id");
  });

  it("C33: threads.update renames the thread", async () => {
    const { server, store } = makeServer();
    const { thread } = await create(server);
    const res = await post(server, { type: "threads.update", params: { thread_id: thread.id, title: "New Title" } });
    expect(res.json.title).toBe("New Title");
    expect(res.json.items).toEqual({ data: [], has_more: false });
    expect((await store.loadThread(thread.id, ctx)).title).toBe("New Title");
  });

  it("C34: a progressive widget streams text deltas (exactly 5 events)", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread, _i, c) {
      async function* states() {
        for (const v of ["", "Hel", "Hello,", "Hello, world"])
          yield Card({ children: [Text({ id: "text", value: v, streaming: true })] });
      }
      yield* streamWidget(thread, states(), { generateId: () => server.store.generateItemId("message", thread, c) });
    };
    const { events } = await create(server);
    const body = events.slice(3);
    expect(types(body)).toEqual([
      "thread.item.added",
      "thread.item.updated",
      "thread.item.updated",
      "thread.item.updated",
      "thread.item.done",
    ]);
    expect(body[0]!.item.widget.children[0].value).toBe("");
    expect(body.slice(1, 4).map((e) => e.update)).toEqual([
      { type: "widget.streaming_text.value_delta", component_id: "text", delta: "Hel", done: false },
      { type: "widget.streaming_text.value_delta", component_id: "text", delta: "lo,", done: false },
      { type: "widget.streaming_text.value_delta", component_id: "text", delta: " world", done: false },
    ]);
    expect(body[4]!.item.widget.children[0].value).toBe("Hello, world");
  });

  it("C35: a progressive widget with a non-append change sends a root update", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      async function* states() {
        yield Card({ children: [Text({ id: "text", value: "Hello" })] });
        yield Card({ children: [Text({ id: "text", value: "World" })] });
      }
      yield* streamWidget(thread, states(), { generateId: () => "w1" });
    };
    const { events } = await create(server);
    const body = events.slice(3);
    expect(types(body)).toEqual(["thread.item.added", "thread.item.updated", "thread.item.done"]);
    expect(body[1]!.update.type).toBe("widget.root.updated");
    expect(body[1]!.update.widget.children[0].value).toBe("World");
    expect(body[2]!.item.widget.children[0].value).toBe("World");
  });

  it("C36: threads.delete answers {} and the thread is gone", async () => {
    const { server } = makeServer();
    const { thread } = await create(server);
    const res = await post(server, { type: "threads.delete", params: { thread_id: thread.id } });
    expect(res.raw).toBe("{}");
    const again = await post(server, { type: "threads.get_by_id", params: { thread_id: thread.id } });
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ detail: `Thread ${thread.id} not found`, code: "not_found" });
  });

  it("C37: thread.item.removed is streamed and deletes the item", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.done", item: userMsg(thread.id, "msg_to_remove", "x") };
      yield { type: "thread.item.removed", item_id: "msg_to_remove" };
    };
    const { events, thread } = await create(server);
    expect(events.at(-1)).toEqual({ type: "thread.item.removed", item_id: "msg_to_remove" });
    const list = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(list.json.data.map((i: Event) => i.id)).not.toContain("msg_to_remove");
  });

  it("C38: an exception in respond becomes a stream.error event that ends the stream", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* () {
      throw new Error("boom");
    };
    const { events } = await create(server);
    expect(events.at(-1)).toEqual({ type: "error", code: "stream.error", allow_retry: true });
    expect(types(events)).toEqual(["thread.created", "thread.item.done", "stream_options", "error"]);
  });

  it("C39: thread.item.replaced persists and may change the type", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.done", item: userMsg(thread.id, "msg_to_replace", "x") };
      yield {
        type: "thread.item.replaced",
        item: assistant(thread.id, "msg_to_replace", "This is the replacement content"),
      };
    };
    const { events, thread } = await create(server);
    expect(events.at(-1)!.type).toBe("thread.item.replaced");
    const list = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    const item = list.json.data.find((i: Event) => i.id === "msg_to_replace");
    expect(item.type).toBe("assistant_message");
    expect(item.content[0].text).toBe("This is the replacement content");
  });

  it("C40: replacing a widget persists the new widget", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.done",
        item: widgetItem(thread.id, "widget_to_replace", {
          type: "Card",
          children: [{ type: "Text", value: "Original widget content" }],
        }),
      };
      yield {
        type: "thread.item.replaced",
        item: widgetItem(thread.id, "widget_to_replace", {
          type: "Card",
          children: [{ type: "Text", value: "Replaced widget content" }],
        }),
      };
    };
    const { events, thread } = await create(server);
    expect(events.at(-1)!.item.widget.children[0].value).toBe("Replaced widget content");
    const stored = await store.loadItem(thread.id, "widget_to_replace", ctx);
    expect(stored.type === "widget" && stored.widget.children?.[0]?.value).toBe("Replaced widget content");
  });

  it("C41: retry_after_item deletes newer items and re-runs respond with the stored message", async () => {
    const { server } = makeServer();
    let calls = 0;
    server.respondImpl = async function* (thread) {
      calls++;
      yield calls === 1
        ? { type: "thread.item.done", item: assistant(thread.id, "assistant_msg_1", "First response") }
        : { type: "thread.item.done", item: assistant(thread.id, "assistant_msg_2", "Retried response") };
    };
    const { thread } = await create(server);
    const before = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(before.json.data.map((i: Event) => [i.type, i.content[0].text])).toEqual([
      ["assistant_message", "First response"],
      ["user_message", "Hello, world!"],
    ]);
    const userId = before.json.data[1].id;
    const retry = await post(server, {
      type: "threads.retry_after_item",
      params: { thread_id: thread.id, item_id: userId },
    });
    expect(types(retry.events)).toEqual(["stream_options", "thread.item.done"]);
    expect(retry.events[1]!.item.content[0].text).toBe("Retried response");
    expect(server.calls.respond).toHaveLength(2);
    expect(server.calls.respond[1]!.input).toEqual(server.calls.respond[0]!.input);
    const after = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(after.json.data.map((i: Event) => [i.type, i.content[0].text])).toEqual([
      ["assistant_message", "Retried response"],
      ["user_message", "Hello, world!"],
    ]);
  });

  it("C42: retry on a non-user item fails with 409 before any stream", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.done", item: assistant(thread.id, "assistant_msg_1", "x") };
    };
    const { thread } = await create(server);
    const res = await post(server, {
      type: "threads.retry_after_item",
      params: { thread_id: thread.id, item_id: "assistant_msg_1" },
    });
    expect(res.status).toBe(409);
    expect(res.json.detail).toMatch(/is not a user message/);
    expect((await store.loadThreadItems(thread.id, null, 10, "asc", ctx)).data).toHaveLength(2);
  });

  it("C43: retry with several turns keeps older turns", async () => {
    const { server } = makeServer();
    let n = 0;
    server.respondImpl = async function* (thread, input) {
      const text = input!.content[0]!.type === "input_text" ? input!.content[0]!.text : "";
      yield { type: "thread.item.done", item: assistant(thread.id, `a_${++n}`, `Response to: ${text}`) };
    };
    const { thread } = await create(server, "First message");
    await post(server, {
      type: "threads.add_user_message",
      params: { thread_id: thread.id, input: userInput("Second message") },
    });
    const items = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(items.json.data).toHaveLength(4);
    const oldAssistant = items.json.data[0].id;
    const retry = await post(server, {
      type: "threads.retry_after_item",
      params: { thread_id: thread.id, item_id: items.json.data[1].id },
    });
    expect(types(retry.events)).toEqual(["stream_options", "thread.item.done"]);
    expect(server.calls.respond[2]!.input!.content[0]).toEqual({ type: "input_text", text: "Second message" });
    const after = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(after.json.data.map((i: Event) => i.content[0].text)).toEqual([
      "Response to: Second message",
      "Second message",
      "Response to: First message",
      "First message",
    ]);
    expect(after.json.data[0].id).not.toBe(oldAssistant);
    expect(after.json.data[3].content[0].type).toBe("input_text");
  });

  it("C44: inference options reach respond (create)", async () => {
    const { server } = makeServer();
    await create(server, "hi", { inference_options: { tool_choice: { id: "web_search" } } });
    expect(server.calls.respond[0]!.input!.inference_options.tool_choice!.id).toBe("web_search");
  });

  it("C45: inference options reach respond (add_user_message)", async () => {
    const { server } = makeServer();
    const { thread } = await create(server);
    await post(server, {
      type: "threads.add_user_message",
      params: {
        thread_id: thread.id,
        input: userInput("x", { inference_options: { tool_choice: { id: "retrieval" }, model: "gpt-x" } }),
      },
    });
    expect(server.calls.respond[1]!.input!.inference_options).toEqual({
      tool_choice: { id: "retrieval" },
      model: "gpt-x",
    });
  });

  it("C46: input.transcribe decodes audio and passes mime and media type", async () => {
    const { server } = makeServer();
    server.transcribeImpl = async () => ({ text: "ok" });
    const res = await post(server, {
      type: "input.transcribe",
      params: { audio_base64: Buffer.from("hello audio").toString("base64"), mime_type: "audio/webm;codecs=opus" },
    });
    expect(res.raw).toBe('{"text":"ok"}');
    const call = server.calls.transcribe[0]!;
    expect(new TextDecoder().decode(call.audio.data)).toBe("hello audio");
    expect(call.audio.mimeType).toBe("audio/webm;codecs=opus");
    expect(call.audio.mediaType).toBe("audio/webm");
    expect(call.ctx).toBe(ctx);
  });

  it("C47: custom id generators are used for threads and items", async () => {
    const store = countingIds(new InMemoryStore<Ctx>((c) => c.user_id));
    const { server } = makeServer({ store });
    const { events } = await create(server);
    expect(events[0]!.thread.id).toBe("thr_custom_1");
    expect(events[1]!.item.id).toBe("message_custom_2_thr_custom_1");
    // also the cancellation marker
    server.respondImpl = async function* () {
      await never();
    };
    await streamThenAbort(
      server,
      { type: "threads.add_user_message", params: { thread_id: "thr_custom_1", input: userInput("x") } },
      (e) => e.type === "stream_options",
      "signal",
    );
    const newest = (await store.loadThreadItems("thr_custom_1", null, 1, "desc", ctx)).data[0]!;
    expect(newest.id).toBe("sdk_hidden_context_custom_4_thr_custom_1");
  });
});

describe("server additional checks (PROTOCOL.md §11, X cases)", () => {
  it("X1: every pipeline starts with exactly one stream_options after the user message", async () => {
    const { server } = makeServer();
    const { events, thread } = await create(server);
    expect(events.filter((e) => e.type === "stream_options")).toHaveLength(1);
    const add = await post(server, {
      type: "threads.add_user_message",
      params: { thread_id: thread.id, input: userInput("x") },
    });
    expect(types(add.events)).toEqual(["thread.item.done", "stream_options"]);
  });

  it("X2: custom_action on a non-widget item emits one error event and does not call action", async () => {
    const { server } = makeServer();
    const { thread, events } = await create(server);
    const res = await post(server, {
      type: "threads.custom_action",
      params: { thread_id: thread.id, item_id: events[1]!.item.id, action: { type: "x" } },
    });
    expect(res.events).toEqual([{ type: "error", code: "stream.error", allow_retry: false }]);
    expect(server.calls.action).toHaveLength(0);
  });

  it("X3: custom_action without item_id calls action with a null sender", async () => {
    const { server } = makeServer();
    server.actionImpl = async function* () {
      yield { type: "client_effect", name: "confetti", data: {} };
    };
    const { thread } = await create(server);
    const res = await post(server, {
      type: "threads.custom_action",
      params: { thread_id: thread.id, action: { type: "x" } },
    });
    expect(server.calls.action[0]!.sender).toBeNull();
    expect(res.events[1]).toEqual({ type: "client_effect", name: "confetti", data: {} });
  });

  it("X3b: the default action() becomes a stream.error event", async () => {
    const { server } = makeServer();
    const { thread } = await create(server);
    const res = await post(server, {
      type: "threads.custom_action",
      params: { thread_id: thread.id, action: { type: "x" } },
    });
    expect(res.events).toEqual([
      { type: "stream_options", stream_options: { allow_cancel: true } },
      { type: "error", code: "stream.error", allow_retry: true },
    ]);
  });

  it("X4: retry_after_item with an unknown item id answers 404 (our rule, PROTOCOL.md §10), deletes nothing, does not call respond", async () => {
    const { server, store } = makeServer();
    const { thread } = await create(server);
    const res = await post(server, {
      type: "threads.retry_after_item",
      params: { thread_id: thread.id, item_id: "nope" },
    });
    expect(res.status).toBe(404);
    expect(server.calls.respond).toHaveLength(1);
    expect((await store.loadThreadItems(thread.id, null, 10, "asc", ctx)).data).toHaveLength(1);
  });

  it("X5: hidden items are stored but never streamed or listed", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.done",
        item: { type: "hidden_context_item", id: "h1", thread_id: thread.id, created_at: nowIso(), content: "secret" },
      };
      yield {
        type: "thread.item.done",
        item: { type: "sdk_hidden_context", id: "h2", thread_id: thread.id, created_at: nowIso(), content: "secret2" },
      };
    };
    const { events, thread, raw } = await create(server);
    expect(types(events)).toEqual(["thread.created", "thread.item.done", "stream_options"]);
    expect(raw.includes("secret")).toBe(false);
    expect((await store.loadItem(thread.id, "h1", ctx)).type).toBe("hidden_context_item");
    const list = await post(server, { type: "items.list", params: { thread_id: thread.id } });
    expect(list.json.data.map((i: Event) => i.id)).not.toContain("h1");
    const got = await post(server, { type: "threads.get_by_id", params: { thread_id: thread.id } });
    expect(got.raw.includes("secret")).toBe(false);
  });

  it("X6: a title set before an exception is announced after the error", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.title = "Before failure";
      throw new Error("nope");
    };
    const { events, thread } = await create(server);
    expect(types(events).slice(-2)).toEqual(["error", "thread.updated"]);
    expect((await store.loadThread(thread.id, ctx)).title).toBe("Before failure");
  });

  it("X6b: CustomStreamError and StreamError map to their error events", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* () {
      throw new CustomStreamError("Please rephrase.");
    };
    expect((await create(server)).events.at(-1)).toEqual({
      type: "error",
      code: "custom",
      message: "Please rephrase.",
      allow_retry: false,
    });
    server.respondImpl = async function* () {
      throw new StreamError("stream.error", { allowRetry: false });
    };
    expect((await create(server)).events.at(-1)).toEqual({ type: "error", code: "stream.error", allow_retry: false });
  });

  it("X7: add_client_tool_output without a pending call fails (409) and stores nothing; stale pending calls are cleaned", async () => {
    const { server, store } = makeServer();
    const { thread } = await create(server);
    const res = await post(server, {
      type: "threads.add_client_tool_output",
      params: { thread_id: thread.id, result: {} },
    });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe("no_pending_tool_call");
    const call = (id: string) => ({
      type: "client_tool_call" as const,
      id,
      thread_id: thread.id,
      created_at: nowIso(),
      status: "pending" as const,
      call_id: id,
      name: "t",
      arguments: {},
    });
    await store.addThreadItem(thread.id, call("old_call"), ctx);
    await store.addThreadItem(thread.id, call("new_call"), ctx);
    const ok = await post(server, {
      type: "threads.add_client_tool_output",
      params: { thread_id: thread.id, result: [1] },
    });
    expect(types(ok.events)).toEqual(["stream_options"]);
    expect(await store.loadItem(thread.id, "new_call", ctx)).toMatchObject({ status: "completed", output: [1] });
    await expect(store.loadItem(thread.id, "old_call", ctx)).rejects.toThrow();
  });

  it("X8: structured input on a non-structured or non-pending item fails; skipped submission skips every question", async () => {
    const { server, store } = makeServer();
    const { thread, events } = await create(server);
    const notSi = await post(server, {
      type: "threads.add_structured_input",
      params: { thread_id: thread.id, item_id: events[1]!.item.id, input: {} },
    });
    expect(notSi.status).toBe(409);
    const missing = await post(server, {
      type: "threads.add_structured_input",
      params: { thread_id: thread.id, item_id: "nope", input: {} },
    });
    expect(missing.status).toBe(404);
    await store.addThreadItem(
      thread.id,
      {
        type: "structured_input",
        id: "si",
        thread_id: thread.id,
        created_at: nowIso(),
        status: "pending",
        inputs: [{ type: "freeform", id: "q", question: "Q?" }],
      },
      ctx,
    );
    const skipped = await post(server, {
      type: "threads.add_structured_input",
      params: { thread_id: thread.id, item_id: "si", input: { status: "skipped", answers: { q: { values: ["x"] } } } },
    });
    expect(skipped.events[1]!.item).toMatchObject({
      status: "skipped",
      inputs: [{ answer: { values: [], skipped: true } }],
    });
    const again = await post(server, {
      type: "threads.add_structured_input",
      params: { thread_id: thread.id, item_id: "si", input: {} },
    });
    expect(again.status).toBe(409);
  });

  it("X9: sync_custom_action writes nothing and answers {} when the hook returns no item", async () => {
    const { server, store } = makeServer();
    server.syncImpl = async () => ({});
    const { thread } = await create(server);
    const before = await store.loadThreadItems(thread.id, null, 10, "asc", ctx);
    const res = await post(server, {
      type: "threads.sync_custom_action",
      params: { thread_id: thread.id, action: { type: "x" } },
    });
    expect(res.raw).toBe("{}");
    expect(await store.loadThreadItems(thread.id, null, 10, "asc", ctx)).toEqual(before);
  });

  it("X10: threads.list and threads.update never leak stored metadata", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      thread.metadata.secret = "s3cr3t";
    };
    const { thread } = await create(server);
    const list = await post(server, { type: "threads.list", params: {} });
    expect(list.raw.includes("s3cr3t")).toBe(false);
    expect(list.json.data[0].items).toEqual({ data: [], has_more: false });
    const upd = await post(server, { type: "threads.update", params: { thread_id: thread.id, title: "t" } });
    expect(upd.json.metadata).toEqual({});
  });

  it("X11: thread.item.updated on a stored widget is streamed but not persisted", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.done",
        item: widgetItem(thread.id, "w", { type: "Card", children: [{ type: "Text", value: "old" }] }),
      };
      yield {
        type: "thread.item.updated",
        item_id: "w",
        update: { type: "widget.root.updated", widget: { type: "Card", children: [{ type: "Text", value: "new" }] } },
      };
    };
    const { thread, events } = await create(server);
    expect(events.at(-1)!.type).toBe("thread.item.updated");
    const stored = await store.loadItem(thread.id, "w", ctx);
    expect(stored.type === "widget" && stored.widget.children?.[0]?.value).toBe("old");
  });

  it("X12: cancellation does not store pending widgets or workflows", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.added", item: widgetItem(thread.id, "pw", { type: "Card", children: [] }) };
      yield {
        type: "thread.item.added",
        item: {
          type: "workflow",
          id: "pwf",
          thread_id: thread.id,
          created_at: nowIso(),
          workflow: { type: "reasoning", tasks: [], expanded: false },
        },
      };
      yield { type: "thread.item.added", item: assistant(thread.id, "pa", "partial") };
      await never();
    };
    const seen = await streamThenAbort(
      server,
      createReq("hi"),
      (e) => e.type === "thread.item.added" && e.item.id === "pa",
      "signal",
    );
    const items = (await store.loadThreadItems(seen[0]!.thread.id, null, 10, "asc", ctx)).data.map((i) => i.id);
    expect(items).toContain("pa");
    expect(items).not.toContain("pw");
    expect(items).not.toContain("pwf");
  });

  it("X13: user messages embed full attachments with thread_id and without metadata", async () => {
    const { server, store } = makeServer();
    await store.saveAttachment(
      {
        type: "image",
        id: "img",
        name: "i",
        mime_type: "image/png",
        preview_url: "https://p/",
        metadata: { bucket: "b" },
      },
      ctx,
    );
    const { events, thread } = await create(server, "hi", { attachments: ["img"] });
    expect(events[1]!.item.attachments).toEqual([
      { type: "image", id: "img", name: "i", mime_type: "image/png", preview_url: "https://p/", thread_id: thread.id },
    ]);
  });

  it("X14: limit 0 or missing behaves as 20", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      for (let i = 0; i < 24; i++) yield { type: "thread.item.done", item: userMsg(thread.id, `m${i}`, "x") };
    };
    const { thread } = await create(server);
    for (const params of [
      { thread_id: thread.id, limit: 0 },
      { thread_id: thread.id },
      { thread_id: thread.id, limit: null },
    ]) {
      const res = await post(server, { type: "items.list", params });
      expect(res.json.data).toHaveLength(20);
      expect(res.json.has_more).toBe(true);
    }
  });

  it("custom stream options are honoured", async () => {
    const { server } = makeServer();
    server.getStreamOptions = () => ({ allow_cancel: false });
    const { events } = await create(server);
    expect(events[2]).toEqual({ type: "stream_options", stream_options: { allow_cancel: false } });
  });

  it("a cancelled stream keeps title changes made before the abort", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread, _i, _c, run) {
      thread.title = "T";
      yield { type: "progress_update", text: "working" };
      await new Promise((r) => run.signal.addEventListener("abort", r));
    };
    const seen = await streamThenAbort(server, createReq("hi"), (e) => e.type === "progress_update", "signal");
    expect((await store.loadThread(seen[0]!.thread.id, ctx)).title).toBe("T");
  });

  it("events are forwarded as produced; the stream can be consumed before respond finishes", async () => {
    const { server } = makeServer();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.added", item: assistant(thread.id, "a", "") } as ThreadStreamEvent;
      await gate;
      yield { type: "thread.item.done", item: assistant(thread.id, "a", "x") };
    };
    const result = await server.process(JSON.stringify(createReq("hi")), ctx);
    if (result.kind !== "stream") throw new Error("stream expected");
    const reader = result.stream.getReader();
    const dec = new TextDecoder();
    const got: string[] = [];
    while (!got.some((s) => s.includes("thread.item.added"))) got.push(dec.decode((await reader.read()).value));
    release();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      got.push(dec.decode(r.value));
    }
    expect(got.join("")).toContain('"type":"thread.item.done","item":{"type":"assistant_message"');
  });
});
