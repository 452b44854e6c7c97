import { describe, expect, it } from "vitest";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { ResponsesStreamConverter } from "./responses";
import { InMemoryStore, nowIso } from "./store";
import type { ThreadItem, ThreadMetadata, ThreadStreamEvent, WorkflowItem } from "./types";

type Ctx = { user_id: string };
const ctx: Ctx = { user_id: "u" };
const ev = (e: Record<string, unknown>) => e as unknown as ResponseStreamEvent;

async function setup(recentItems: ThreadItem[] = []) {
  const store = new InMemoryStore<Ctx>();
  const thread: ThreadMetadata = { id: "thr_1", created_at: nowIso(), status: { type: "active" }, metadata: {} };
  await store.saveThread(thread, ctx);
  let n = 0;
  store.generateItemId = (type) => `${type}_${++n}`;
  return { store, thread, recentItems };
}

async function run(
  events: Record<string, unknown>[],
  opts: Partial<ConstructorParameters<typeof ResponsesStreamConverter<Ctx>>[0]> = {},
  recent: ThreadItem[] = [],
) {
  const s = await setup(recent);
  const conv = new ResponsesStreamConverter<Ctx>({
    thread: s.thread,
    store: s.store,
    context: ctx,
    recentItems: recent,
    ...opts,
  });
  async function* src() {
    for (const e of events) yield ev(e);
  }
  const out: ThreadStreamEvent[] = [];
  for await (const e of conv.convert(src())) out.push(e);
  return { out, conv, ...s };
}

const msgItem = (id: string, content: unknown[] = []) => ({
  type: "message",
  id,
  role: "assistant",
  status: "completed",
  content,
});

describe("Responses stream → ChatKit events (PROTOCOL.md §8.1)", () => {
  it("A18: single-event mappings", async () => {
    const { out } = await run([
      { type: "response.output_text.delta", item_id: "m", content_index: 0, delta: "Hi" },
      {
        type: "response.content_part.added",
        item_id: "m",
        content_index: 1,
        part: { type: "output_text", text: "New content", annotations: [] },
      },
      { type: "response.output_text.done", item_id: "m", content_index: 0, text: "Final text" },
      {
        type: "response.output_text.annotation.added",
        item_id: "m",
        content_index: 0,
        annotation_index: 9,
        annotation: { type: "file_citation", file_id: "f", filename: "file.txt", index: 5 },
      },
    ]);
    expect(out.map((e) => (e.type === "thread.item.updated" ? e.update : e))).toEqual([
      { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "Hi" },
      {
        type: "assistant_message.content_part.added",
        content_index: 1,
        content: { type: "output_text", text: "New content", annotations: [] },
      },
      {
        type: "assistant_message.content_part.done",
        content_index: 0,
        content: { type: "output_text", text: "Final text", annotations: [] },
      },
      {
        type: "assistant_message.content_part.annotation_added",
        content_index: 0,
        annotation_index: 0,
        annotation: { type: "annotation", source: { type: "file", filename: "file.txt", title: "file.txt" }, index: 5 },
      },
    ]);
    expect(out.every((e) => e.type !== "thread.item.updated" || e.item_id === "m")).toBe(true);
  });

  it("A19/A20: dropped annotations do not consume an index", async () => {
    const { out } = await run([
      {
        type: "response.output_text.annotation.added",
        item_id: "m",
        content_index: 0,
        annotation: { type: "file_citation", filename: "", index: 1 },
      },
      {
        type: "response.output_text.annotation.added",
        item_id: "m",
        content_index: 0,
        annotation: {
          type: "container_file_citation",
          container_id: "c",
          file_id: "f",
          filename: "container.txt",
          start_index: 0,
          end_index: 3,
        },
      },
      {
        type: "response.output_text.annotation.added",
        item_id: "m",
        content_index: 0,
        annotation: {
          type: "url_citation",
          url: "https://example.com",
          title: "Example",
          start_index: 0,
          end_index: 5,
        },
      },
    ]);
    expect(
      out.map(
        (e) =>
          e.type === "thread.item.updated" &&
          e.update.type === "assistant_message.content_part.annotation_added" && [
            e.update.annotation_index,
            e.update.annotation.index,
            e.update.annotation.source.type,
          ],
      ),
    ).toEqual([
      [0, 3, "file"],
      [1, 5, "url"],
    ]);
  });

  it("A21: custom annotation converters apply to streamed and final annotations", async () => {
    const entity = {
      type: "annotation" as const,
      source: { type: "entity" as const, id: "e", title: "E", interactive: false, data: {} },
    };
    const { out } = await run(
      [
        {
          type: "response.output_text.annotation.added",
          item_id: "m",
          content_index: 0,
          annotation: { type: "url_citation", url: "u", title: "t", end_index: 1 },
        },
        {
          type: "response.output_item.done",
          item: msgItem("m", [
            {
              type: "output_text",
              text: "x",
              annotations: [{ type: "url_citation", url: "u", title: "t", end_index: 1 }],
            },
          ]),
        },
      ],
      { annotations: { urlCitation: () => entity } },
    );
    expect(out).toHaveLength(2);
    expect(
      out[0]!.type === "thread.item.updated" &&
        out[0]!.update.type === "assistant_message.content_part.annotation_added" &&
        out[0]!.update.annotation,
    ).toEqual(entity);
    expect(
      out[1]!.type === "thread.item.done" &&
        out[1]!.item.type === "assistant_message" &&
        out[1]!.item.content[0]!.annotations,
    ).toEqual([entity]);
  });

  it("A23: final message converts annotations and refusals; hosted tool items are ignored", async () => {
    const { out } = await run([
      {
        type: "response.output_item.done",
        item: { type: "file_search_call", id: "fs", status: "completed", queries: [] },
      },
      {
        type: "response.output_item.done",
        item: msgItem("1", [
          {
            type: "output_text",
            text: "a",
            annotations: [
              { type: "file_citation", file_id: "f", filename: "test.txt", index: 0 },
              {
                type: "container_file_citation",
                container_id: "c",
                file_id: "f",
                filename: "container.txt",
                start_index: 0,
                end_index: 3,
              },
              { type: "url_citation", url: "https://google.com", title: "Google", start_index: 0, end_index: 10 },
              { type: "file_path", file_id: "f", index: 1 },
            ],
          },
          { type: "refusal", refusal: "Can't do that" },
        ]),
      },
    ]);
    expect(out).toHaveLength(1);
    const item = out[0]!.type === "thread.item.done" ? out[0]!.item : null;
    expect(item?.id).toBe("1");
    expect(
      item?.type === "assistant_message" &&
        item.content[0]!.annotations.map((a) => [a.source.type, a.source.title, a.index]),
    ).toEqual([
      ["file", "test.txt", 0],
      ["file", "container.txt", 3],
      ["url", "Google", 10],
    ]);
    expect(item?.type === "assistant_message" && item.content[1]).toEqual({
      type: "output_text",
      text: "Can't do that",
      annotations: [],
    });
  });

  it("A4: a client tool call reuses the function-call item id and call id", async () => {
    const { out } = await run(
      [
        {
          type: "response.output_item.done",
          item: { type: "function_call", id: "fc_123", call_id: "call_123", name: "get_selection", arguments: "{}" },
        },
      ],
      { clientTools: ["get_selection"] },
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      type: "thread.item.done",
      item: {
        type: "client_tool_call",
        id: "fc_123",
        call_id: "call_123",
        name: "get_selection",
        arguments: {},
        status: "pending",
      },
    });
  });

  it("A24/A25: image generation with a custom URL hook", async () => {
    const calls: unknown[][] = [];
    const { out } = await run(
      [
        {
          type: "response.output_item.added",
          item: { type: "image_generation_call", id: "img_call_1", status: "in_progress" },
        },
        {
          type: "response.output_item.done",
          item: { type: "image_generation_call", id: "img_call_1", status: "completed", result: "dGVzdA==" },
        },
      ],
      { base64ImageToUrl: (...a) => (calls.push(a), "https://cdn/x.png") },
    );
    expect(out[0]).toMatchObject({ type: "thread.item.added", item: { type: "generated_image", id: "message_1" } });
    expect(out[0]!.type === "thread.item.added" && "image" in out[0]!.item).toBe(false);
    expect(out[1]).toMatchObject({
      type: "thread.item.done",
      item: { id: "message_1", image: { id: "img_call_1", url: "https://cdn/x.png" } },
    });
    expect(calls).toEqual([["img_call_1", "dGVzdA==", undefined]]);
    const plain = await run([
      { type: "response.output_item.added", item: { type: "image_generation_call", id: "img_call_1" } },
      {
        type: "response.output_item.done",
        item: { type: "image_generation_call", id: "img_call_1", result: "dGVzdA==" },
      },
    ]);
    expect(plain.out[1]).toMatchObject({ item: { image: { url: "data:image/png;base64,dGVzdA==" } } });
  });

  it("A26: partial images report progress", async () => {
    const { out } = await run(
      [
        { type: "response.output_item.added", item: { type: "image_generation_call", id: "img" } },
        {
          type: "response.image_generation_call.partial_image",
          item_id: "img",
          partial_image_b64: "AA==",
          partial_image_index: 1,
        },
      ],
      { partialImages: 3 },
    );
    expect(out[1]).toMatchObject({
      type: "thread.item.updated",
      update: {
        type: "generated_image.updated",
        image: { id: "img", url: "data:image/png;base64,AA==" },
        progress: 1 / 3,
      },
    });
  });

  it("A27/A28: reasoning summaries become thought tasks; a message ends the workflow", async () => {
    const { out } = await run([
      { type: "response.output_item.added", item: { type: "reasoning", id: "rs", summary: [] } },
      { type: "response.reasoning_summary_text.delta", item_id: "rs", summary_index: 0, delta: "Think" },
      { type: "response.reasoning_summary_text.delta", item_id: "rs", summary_index: 0, delta: "ing 1" },
      { type: "response.reasoning_summary_text.done", item_id: "rs", summary_index: 0, text: "Thinking 1" },
      { type: "response.reasoning_summary_text.delta", item_id: "rs", summary_index: 1, delta: "Thin" },
      { type: "response.reasoning_summary_text.done", item_id: "rs", summary_index: 1, text: "Thinking 2" },
      { type: "response.output_item.added", item: msgItem("m1") },
    ]);
    const summary = out.map((e) =>
      e.type === "thread.item.updated"
        ? `${e.update.type}:${"task_index" in e.update ? e.update.task_index : ""}:${"task" in e.update && e.update.task.type === "thought" ? e.update.task.content : ""}`
        : `${e.type}:${"item" in e ? e.item.type : ""}`,
    );
    expect(summary).toEqual([
      "thread.item.added:workflow",
      "workflow.task.added:0:Think",
      "workflow.task.updated:0:Thinking 1",
      "workflow.task.updated:0:Thinking 1",
      "workflow.task.added:1:Thinking 2",
      "thread.item.done:workflow",
      "thread.item.added:assistant_message",
    ]);
    const done = out[5]!.type === "thread.item.done" ? (out[5]!.item as WorkflowItem) : null;
    expect(done?.workflow.summary).toEqual({ duration: expect.any(Number) });
    expect(done?.workflow.expanded).toBe(false);
    expect(done?.workflow.tasks).toHaveLength(2);
  });

  it("A29: an adopted workflow with a custom summary keeps it when ended", async () => {
    const wf: WorkflowItem = {
      type: "workflow",
      id: "wf_old",
      thread_id: "thr_1",
      created_at: nowIso(),
      workflow: { type: "custom", tasks: [], summary: { title: "Test" }, expanded: true },
    };
    const { out } = await run([{ type: "response.output_item.added", item: msgItem("m") }], {}, [wf]);
    expect(out[0]).toMatchObject({
      type: "thread.item.done",
      item: { id: "wf_old", workflow: { summary: { title: "Test" }, expanded: false } },
    });
  });

  it("an unfinished workflow is stored at the end of the run without an event", async () => {
    const { out, store, thread } = await run([
      { type: "response.output_item.added", item: { type: "reasoning", id: "rs", summary: [] } },
    ]);
    expect(out.map((e) => e.type)).toEqual(["thread.item.added"]);
    expect((await store.loadItem(thread.id, "workflow_1", ctx)).type).toBe("workflow");
  });

  it("A16/A17: context events are merged with model events; output ends when the run ends", async () => {
    const s = await setup();
    const conv = new ResponsesStreamConverter<Ctx>({ thread: s.thread, store: s.store, context: ctx, recentItems: [] });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* model() {
      await gate;
      yield ev({ type: "response.output_text.delta", item_id: "m", content_index: 0, delta: "x" });
    }
    conv.stream({ type: "progress_update", text: "early" });
    const out: ThreadStreamEvent[] = [];
    const done = (async () => {
      for await (const e of conv.convert(model())) {
        out.push(e);
        if (e.type === "progress_update" && e.text === "early") {
          conv.stream({
            type: "thread.item.added",
            item: { type: "assistant_message", id: "ctx_msg", thread_id: "thr_1", created_at: nowIso(), content: [] },
          });
        }
        if (e.type === "thread.item.added") release();
      }
    })();
    await done;
    expect(out.map((e) => e.type)).toEqual(["progress_update", "thread.item.added", "thread.item.updated"]);
  });

  it("A22: rollback removes every produced item", async () => {
    const s = await setup();
    const conv = new ResponsesStreamConverter<Ctx>({ thread: s.thread, store: s.store, context: ctx, recentItems: [] });
    async function* model() {
      yield ev({ type: "response.output_item.added", item: msgItem("1") });
      conv.stream({
        type: "thread.item.added",
        item: { type: "assistant_message", id: "2", thread_id: "thr_1", created_at: nowIso(), content: [] },
      });
      conv.stream({
        type: "thread.item.done",
        item: {
          type: "widget",
          id: "3",
          thread_id: "thr_1",
          created_at: nowIso(),
          widget: { type: "Card", children: [] },
        },
      });
      yield ev({ type: "response.output_text.delta", item_id: "1", content_index: 0, delta: "x" });
    }
    for await (const _ of conv.convert(model())) void _;
    expect(conv.rollbackEvents()).toEqual([
      { type: "thread.item.removed", item_id: "1" },
      { type: "thread.item.removed", item_id: "2" },
      { type: "thread.item.removed", item_id: "3" },
    ]);
  });
});
