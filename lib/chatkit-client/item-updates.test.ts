/**
 * Every ThreadItemUpdate variant by hand (the fact assistant never sends most of them), with
 * frozen inputs to prove nothing is mutated, and a seeded cross-check against the server's
 * own rules (lib/chatkit/pipeline.ts applies the same updates to its pending copies).
 */
import { describe, expect, it } from "vitest";
import { applyItemUpdate as serverApply } from "@/lib/chatkit/pipeline";
import type { Annotation, Task, ThreadItem, ThreadItemUpdate, WidgetNode } from "@/lib/chatkit/types";
import { applyItemUpdate } from "./item-updates";
import { findWidgetNode } from "./widget-tree";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const base = { thread_id: "thr_1", created_at: "2026-01-01T00:00:00.000Z" };
const assistant = (...texts: string[]): ThreadItem =>
  deepFreeze({
    ...base,
    id: "msg_1",
    type: "assistant_message",
    content: texts.map((text) => ({ type: "output_text" as const, text, annotations: [] })),
  });
const source = (title: string): Annotation => ({
  type: "annotation",
  source: { type: "url", title, url: `https://example.com/${title}` },
  index: 3,
});
const task = (title: string, status: "loading" | "complete" = "loading"): Task => ({
  type: "custom",
  title,
  status_indicator: status,
});
const workflow = (...titles: string[]): ThreadItem =>
  deepFreeze({
    ...base,
    id: "wf_1",
    type: "workflow",
    workflow: { type: "custom", tasks: titles.map((t) => task(t)), expanded: false },
  });
const widget = (root: WidgetNode): ThreadItem => deepFreeze({ ...base, id: "w_1", type: "widget", widget: root });

const textOf = (item: ThreadItem, i = 0) => (item.type === "assistant_message" ? item.content[i]?.text : undefined);

describe("assistant message updates", () => {
  it("text_delta appends to its part and shares the other parts", () => {
    const before = assistant("Hello", "other");
    const after = applyItemUpdate(before, {
      type: "assistant_message.content_part.text_delta",
      content_index: 0,
      delta: ", world",
    });
    expect(textOf(after)).toBe("Hello, world");
    expect(after.type === "assistant_message" && before.type === "assistant_message").toBe(true);
    if (after.type === "assistant_message" && before.type === "assistant_message") {
      expect(after.content[1]).toBe(before.content[1]);
    }
  });

  it("a delta for a part past the end pads with empty text parts first", () => {
    const after = applyItemUpdate(assistant(), {
      type: "assistant_message.content_part.text_delta",
      content_index: 2,
      delta: "x",
    });
    expect(after).toMatchObject({
      content: [
        { text: "", annotations: [] },
        { text: "", annotations: [] },
        { text: "x", annotations: [] },
      ],
    });
  });

  it("content_part.added and content_part.done replace the part wholesale", () => {
    const added = applyItemUpdate(assistant("old"), {
      type: "assistant_message.content_part.added",
      content_index: 0,
      content: { type: "output_text", text: "", annotations: [] },
    });
    expect(textOf(added)).toBe("");
    const done = applyItemUpdate(added, {
      type: "assistant_message.content_part.done",
      content_index: 1,
      content: { type: "output_text", text: "final", annotations: [source("a")] },
    });
    expect(done).toMatchObject({
      content: [{ text: "" }, { text: "final", annotations: [{ source: { title: "a" } }] }],
    });
  });

  it("annotation_added inserts at its index, or appends when the index is past the end", () => {
    let item = assistant("cited");
    for (const [i, title] of [
      [0, "first"],
      [5, "last"],
      [1, "middle"],
    ] as const) {
      item = applyItemUpdate(item, {
        type: "assistant_message.content_part.annotation_added",
        content_index: 0,
        annotation_index: i,
        annotation: source(title),
      });
    }
    expect(item.type === "assistant_message" && item.content[0]!.annotations.map((a) => a.source.title)).toEqual([
      "first",
      "middle",
      "last",
    ]);
  });
});

describe("widget updates", () => {
  const card: WidgetNode = {
    type: "Card",
    children: [
      { type: "Title", id: "title", value: "Fact" },
      {
        type: "ListView",
        children: [{ type: "ListViewItem", children: [{ type: "Markdown", id: "md", value: "Hel", streaming: true }] }],
      },
    ],
    // A component in a prop other than children is still found.
    confirm: { type: "Text", id: "note", value: "", streaming: true },
  };

  it("streaming_text.value_delta appends to the component's value and done ends its streaming", () => {
    const before = widget(card);
    const mid = applyItemUpdate(before, {
      type: "widget.streaming_text.value_delta",
      component_id: "md",
      delta: "lo",
      done: false,
    });
    const end = applyItemUpdate(mid, {
      type: "widget.streaming_text.value_delta",
      component_id: "md",
      delta: "!",
      done: true,
    });
    expect(end.type === "widget" && findWidgetNode(end.widget, "md")).toMatchObject({
      value: "Hello!",
      streaming: false,
    });
    // Only the path to the node was copied: the title is the very same object.
    if (end.type === "widget" && before.type === "widget") {
      expect(findWidgetNode(end.widget, "title")).toBe(findWidgetNode(before.widget, "title"));
    }
    const note = applyItemUpdate(before, {
      type: "widget.streaming_text.value_delta",
      component_id: "note",
      delta: "ok",
      done: true,
    });
    expect(note.type === "widget" && findWidgetNode(note.widget, "note")).toMatchObject({
      value: "ok",
      streaming: false,
    });
  });

  it("component.updated replaces the component with that id; root.updated replaces the whole widget", () => {
    const before = widget(card);
    const replaced = applyItemUpdate(before, {
      type: "widget.component.updated",
      component_id: "title",
      component: { type: "Title", id: "title", value: "Saved" },
    });
    expect(replaced.type === "widget" && findWidgetNode(replaced.widget, "title")).toEqual({
      type: "Title",
      id: "title",
      value: "Saved",
    });
    const root = applyItemUpdate(replaced, { type: "widget.root.updated", widget: { type: "Card", children: [] } });
    expect(root).toMatchObject({ widget: { type: "Card", children: [] } });
  });

  it("an update naming no component of the widget leaves the item as it was", () => {
    const before = widget(card);
    const after = applyItemUpdate(before, {
      type: "widget.streaming_text.value_delta",
      component_id: "nope",
      delta: "x",
      done: true,
    });
    expect(after.type === "widget" && after.widget).toBe(before.type === "widget" && before.widget);
  });
});

describe("workflow and image updates", () => {
  it("task.added appends and task.updated replaces the task at its index", () => {
    const added = applyItemUpdate(workflow("search"), {
      type: "workflow.task.added",
      task_index: 1,
      task: task("read"),
    });
    const updated = applyItemUpdate(added, {
      type: "workflow.task.updated",
      task_index: 0,
      task: task("search", "complete"),
    });
    expect(updated).toMatchObject({
      workflow: {
        tasks: [
          { title: "search", status_indicator: "complete" },
          { title: "read", status_indicator: "loading" },
        ],
      },
    });
  });

  it("generated_image.updated sets the partial image", () => {
    const before = deepFreeze<ThreadItem>({ ...base, id: "img_1", type: "generated_image" });
    const after = applyItemUpdate(before, {
      type: "generated_image.updated",
      image: { id: "img", url: "data:image/png;base64,AA==" },
      progress: 0.5,
    });
    expect(after).toMatchObject({ image: { id: "img", url: "data:image/png;base64,AA==" } });
  });

  it("an update for another kind of item, or of a type this client does not know, changes nothing", () => {
    const msg = assistant("keep");
    expect(applyItemUpdate(msg, { type: "workflow.task.added", task_index: 0, task: task("x") })).toBe(msg);
    expect(applyItemUpdate(msg, { type: "widget.root.updated", widget: { type: "Card" } })).toBe(msg);
    const wf = workflow("a");
    expect(
      applyItemUpdate(wf, { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "x" }),
    ).toBe(wf);
    expect(applyItemUpdate(msg, { type: "assistant_message.future_thing" } as unknown as ThreadItemUpdate)).toBe(msg);
  });
});

describe("agreement with the server's rules", () => {
  /** mulberry32, so the sequences are the same on every run. */
  function seeded(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it("random sequences of message and workflow updates give what the server's pending copy holds", () => {
    const random = seeded(42);
    const pick = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 300; round++) {
      const start = round % 2 ? assistant("a", "b") : workflow("t0");
      let ours: ThreadItem = start;
      const theirs = structuredClone(start) as ThreadItem;
      for (let step = 0; step < 25; step++) {
        const ci = pick(4);
        const options: ThreadItemUpdate[] = [
          { type: "assistant_message.content_part.text_delta", content_index: ci, delta: `d${step} é` },
          {
            type: "assistant_message.content_part.added",
            content_index: ci,
            content: { type: "output_text", text: `p${step}`, annotations: [] },
          },
          {
            type: "assistant_message.content_part.done",
            content_index: ci,
            content: { type: "output_text", text: `done${step}`, annotations: [source(`s${step}`)] },
          },
          {
            type: "assistant_message.content_part.annotation_added",
            content_index: ci,
            annotation_index: pick(4),
            annotation: source(`n${step}`),
          },
          { type: "workflow.task.added", task_index: pick(3), task: task(`t${step}`) },
        ];
        if (theirs.type === "workflow") {
          const length = theirs.workflow.tasks.length;
          options.push({ type: "workflow.task.updated", task_index: pick(length), task: task(`u${step}`, "complete") });
        }
        const update = options[pick(options.length)]!;
        ours = applyItemUpdate(deepFreeze(ours), update);
        serverApply(theirs, structuredClone(update));
      }
      expect(ours).toEqual(theirs);
    }
  });
});
