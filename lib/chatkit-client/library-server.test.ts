/**
 * What the fact assistant never sends — workflows and tasks, annotations, streamed widget text,
 * removed items, generated images, structured input, notices, progress and client effects —
 * produced by the ChatKit library's own server (lib/chatkit, in-memory store) and its widget
 * helpers, sent through the real pipeline and serialisation, read by this client, reduced, and
 * compared with what `threads.get_by_id` returns afterwards.
 */
import { describe, expect, it } from "vitest";
import { CustomStreamError } from "@/lib/chatkit/errors";
import { toResponse } from "@/lib/chatkit/server";
import { nowIso } from "@/lib/chatkit/store";
import { DEFAULT_CTX, makeServer } from "@/e2e/support/chatkit/harness";
import type {
  StreamingReq,
  Thread,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
  WidgetNode,
} from "@/lib/chatkit/types";
import { accumulateText, streamWidget } from "@/lib/chatkit/widgets";
import { threadsAddStructuredInput, threadsAddUserMessage, threadsCreate, threadsGetById } from "./requests";
import { applyEvent, applyRequest, emptyThreadView, endStream, threadViewFrom, type ThreadView } from "./thread-state";
import { createChatKitClient } from "./transport";

function setup() {
  const { server, store } = makeServer();
  const client = createChatKitClient({
    url: "http://library.test/chatkit",
    fetch: async (input, init) => {
      const request = new Request(input, init);
      return toResponse(await server.process(await request.text(), DEFAULT_CTX, { signal: request.signal }));
    },
  });
  const id = (thread: ThreadMetadata) => store.generateItemId("message", thread, DEFAULT_CTX);
  /** Sends `req` as a UI does; `observe` sees the view after every event. */
  async function run(view: ThreadView, req: StreamingReq, observe?: (v: ThreadView) => void) {
    let v = applyRequest(view, req);
    const events: ThreadStreamEvent[] = [];
    for await (const e of client.stream(req)) {
      events.push(e);
      v = applyEvent(v, e);
      observe?.(v);
    }
    return { view: endStream(v), events };
  }
  async function expectMatchesServer(view: ThreadView): Promise<Thread> {
    const thread = await client.json(threadsGetById(view.thread!.id));
    const fresh = threadViewFrom(thread);
    expect(view.thread).toEqual(fresh.thread);
    expect(view.items).toEqual(fresh.items);
    return thread;
  }
  const load = (threadId: string) => client.json(threadsGetById(threadId));
  return { server, id, run, load, expectMatchesServer };
}

const item = (thread: ThreadMetadata, id: string) => ({ id, thread_id: thread.id, created_at: nowIso() });

describe("the reducer fed the library server's streams", () => {
  it("a reasoning workflow (tasks added and updated) and an annotated answer built part by part", async () => {
    const t = setup();
    t.server.respondImpl = async function* (thread) {
      const wf: ThreadItem = {
        ...item(thread, t.id(thread)),
        type: "workflow",
        workflow: { type: "reasoning", tasks: [], expanded: true },
      };
      yield { type: "thread.item.added", item: wf };
      const think = { type: "thought" as const, content: "Thinking", status_indicator: "loading" as const };
      yield {
        type: "thread.item.updated",
        item_id: wf.id,
        update: { type: "workflow.task.added", task_index: 0, task: think },
      };
      const search = {
        type: "custom" as const,
        title: "Search",
        content: "3 hits",
        status_indicator: "complete" as const,
      };
      yield {
        type: "thread.item.updated",
        item_id: wf.id,
        update: { type: "workflow.task.added", task_index: 1, task: search },
      };
      const thought = { ...think, content: "Thinking it through", status_indicator: "complete" as const };
      yield {
        type: "thread.item.updated",
        item_id: wf.id,
        update: { type: "workflow.task.updated", task_index: 0, task: thought },
      };
      yield {
        type: "thread.item.done",
        item: {
          ...wf,
          workflow: { type: "reasoning", tasks: [thought, search], summary: { duration: 2 }, expanded: false },
        },
      };

      const msg: ThreadItem = { ...item(thread, t.id(thread)), type: "assistant_message", content: [] };
      yield { type: "thread.item.added", item: msg };
      const empty = { type: "output_text" as const, text: "", annotations: [] };
      yield {
        type: "thread.item.updated",
        item_id: msg.id,
        update: { type: "assistant_message.content_part.added", content_index: 0, content: empty },
      };
      for (const delta of ["Oslo is ", "the capital ", "of Norway."]) {
        yield {
          type: "thread.item.updated",
          item_id: msg.id,
          update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta },
        };
      }
      const source = { type: "url" as const, title: "Oslo", url: "https://en.wikipedia.org/wiki/Oslo" };
      yield {
        type: "thread.item.updated",
        item_id: msg.id,
        update: {
          type: "assistant_message.content_part.annotation_added",
          content_index: 0,
          annotation_index: 0,
          annotation: { type: "annotation", source, index: 4 },
        },
      };
      const text = "Oslo is the capital of Norway.";
      yield {
        type: "thread.item.updated",
        item_id: msg.id,
        update: {
          type: "assistant_message.content_part.done",
          content_index: 0,
          content: { type: "output_text", text, annotations: [{ type: "annotation", source, index: 4 }] },
        },
      };
      yield {
        type: "thread.item.done",
        item: {
          ...msg,
          content: [{ type: "output_text", text, annotations: [{ type: "annotation", source, index: 4 }] }],
        },
      };
    };
    const { view, events } = await t.run(emptyThreadView(), threadsCreate("Capital of Norway?"));
    expect(events.filter((e) => e.type === "thread.item.updated")).toHaveLength(9);
    expect(view.items.map((i) => i.type)).toEqual(["user_message", "workflow", "assistant_message"]);
    expect(view.items[2]).toMatchObject({ content: [{ annotations: [{ source: { title: "Oslo" } }] }] });
    await t.expectMatchesServer(view);
  });

  it("a widget whose Markdown streams in (value deltas), then its whole root replaced", async () => {
    const t = setup();
    t.server.respondImpl = async function* (thread) {
      async function* deltas() {
        for (const delta of ["A ", "card ", "that ", "streams ✓"]) yield { type: "response.output_text.delta", delta };
      }
      async function* roots(): AsyncGenerator<WidgetNode> {
        for await (const md of accumulateText(deltas(), { type: "Markdown", id: "body", value: "", streaming: true })) {
          yield { type: "Card", children: [{ type: "Title", value: "Note" }, md] };
        }
      }
      yield* streamWidget(thread, roots(), { generateId: () => t.id(thread), copyText: "A card that streams ✓" });
    };
    const { view, events } = await t.run(emptyThreadView(), threadsCreate("Write me a card"));
    const updates = events.flatMap((e) => (e.type === "thread.item.updated" ? [e.update.type] : []));
    expect(updates).toContain("widget.streaming_text.value_delta");
    expect(view.items[1]).toMatchObject({ type: "widget", copy_text: "A card that streams ✓" });
    await t.expectMatchesServer(view);

    // A later turn replaces a widget's whole root (and a component by id) in place.
    const widgetId = view.items[1]!.id;
    t.server.respondImpl = async function* () {
      yield {
        type: "thread.item.updated",
        item_id: widgetId,
        update: {
          type: "widget.root.updated",
          widget: { type: "Card", children: [{ type: "Text", id: "t", value: "v1" }] },
        },
      };
      yield {
        type: "thread.item.updated",
        item_id: widgetId,
        update: {
          type: "widget.component.updated",
          component_id: "t",
          component: { type: "Text", id: "t", value: "v2" },
        },
      };
    };
    const next = await t.run(view, threadsAddUserMessage(view.thread!.id, "Change it"));
    expect(next.view.items[1]).toMatchObject({ widget: { children: [{ value: "v2" }] } });
    // Updates to an item already done reach the client but are not stored (the pipeline only
    // applies updates to pending items): a reload shows the card as it was done, all else alike.
    const reloaded = threadViewFrom(await t.load(view.thread!.id));
    expect(reloaded.items[1]).toEqual(view.items[1]);
    expect(reloaded.items.filter((_, i) => i !== 1)).toEqual(next.view.items.filter((_, i) => i !== 1));
  });

  it("an item added then removed leaves nothing behind; a generated image reports progress until done", async () => {
    const t = setup();
    t.server.respondImpl = async function* (thread) {
      const draft: ThreadItem = { ...item(thread, t.id(thread)), type: "assistant_message", content: [] };
      yield { type: "thread.item.added", item: draft };
      yield {
        type: "thread.item.updated",
        item_id: draft.id,
        update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "draft" },
      };
      yield { type: "thread.item.removed", item_id: draft.id };
      const img: ThreadItem = { ...item(thread, t.id(thread)), type: "generated_image" };
      yield { type: "thread.item.added", item: img };
      yield {
        type: "thread.item.updated",
        item_id: img.id,
        update: {
          type: "generated_image.updated",
          image: { id: "i1", url: "data:image/png;base64,AA==" },
          progress: 0.5,
        },
      };
      yield { type: "thread.item.done", item: { ...img, image: { id: "i1", url: "data:image/png;base64,AAAA" } } };
    };
    let progressSeen = 0;
    const { view: drawn } = await t.run(emptyThreadView(), threadsCreate("Draw"), (v) => {
      progressSeen = Math.max(progressSeen, ...Object.values(v.imageProgress));
    });
    expect(progressSeen).toBe(0.5);
    expect(drawn.imageProgress).toEqual({});
    expect(drawn.items.map((i) => i.type)).toEqual(["user_message", "generated_image"]);
    await t.expectMatchesServer(drawn);
  });

  it("structured input: the pending form, then threads.add_structured_input replaces it with the answers", async () => {
    const t = setup();
    let formId = "";
    t.server.respondImpl = async function* (thread, input) {
      if (!input) {
        yield {
          type: "thread.item.done",
          item: {
            ...item(thread, t.id(thread)),
            type: "assistant_message",
            content: [{ type: "output_text", text: "Thanks!", annotations: [] }],
          },
        };
        return;
      }
      formId = t.id(thread);
      yield {
        type: "thread.item.done",
        item: {
          ...item(thread, formId),
          type: "structured_input",
          status: "pending",
          inputs: [
            {
              type: "multiple_choice",
              id: "size",
              question: "Size?",
              options: [{ value: "S" }, { value: "L" }],
              multiple: false,
            },
          ],
        },
      };
    };
    const asked = await t.run(emptyThreadView(), threadsCreate("Order a shirt"));
    expect(asked.view.items[1]).toMatchObject({ type: "structured_input", status: "pending" });
    await t.expectMatchesServer(asked.view);
    const answered = await t.run(
      asked.view,
      threadsAddStructuredInput(asked.view.thread!.id, formId, {
        answers: { size: { values: ["L"], skipped: false } },
      }),
    );
    expect(answered.events[0]).toMatchObject({ type: "stream_options" });
    expect(answered.view.items[1]).toMatchObject({ status: "answered", inputs: [{ answer: { values: ["L"] } }] });
    expect(answered.view.items.at(-1)).toMatchObject({ type: "assistant_message" });
    await t.expectMatchesServer(answered.view);
  });

  it("notices, progress, client effects and a custom error reach the view; items still match the server", async () => {
    const t = setup();
    t.server.respondImpl = async function* () {
      yield { type: "progress_update", icon: "search", text: "Looking…" };
      yield { type: "notice", level: "info", message: "Using cached data", title: "Note" };
      yield { type: "client_effect", name: "highlight", data: { id: 3 } };
      throw new CustomStreamError("Out of credits", { allowRetry: false });
    };
    const { view } = await t.run(emptyThreadView(), threadsCreate("Go"));
    expect(view).toMatchObject({
      streaming: false,
      progress: null,
      notices: [{ level: "info", message: "Using cached data", title: "Note" }],
      effects: [{ name: "highlight", data: { id: 3 } }],
      error: { code: "custom", message: "Out of credits", allowRetry: false },
    });
    await t.expectMatchesServer(view);
  });
});
