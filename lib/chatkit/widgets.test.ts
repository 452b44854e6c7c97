import { describe, expect, it } from "vitest";
import { toJson } from "./serialize";
import * as W from "./widgets";
import { accumulateText, diffWidget, streamWidget } from "./widgets";
import type { WidgetNode } from "./types";

const card = (...children: WidgetNode[]) => W.Card({ children });

describe("widget diff (W1)", () => {
  const cases: [string, WidgetNode, WidgetNode, string[]][] = [
    ["a: identical empty cards → nothing", card(), card(), []],
    [
      "b: streaming text grows → one value delta",
      card(W.Text({ id: "t", value: "Hello", streaming: true })),
      card(W.Text({ id: "t", value: "Hello, world!", streaming: true })),
      ["widget.streaming_text.value_delta"],
    ],
    [
      "c: streaming flips to false → root update",
      card(W.Text({ id: "t", value: "Hello", streaming: true })),
      card(W.Text({ id: "t", value: "Hello, world!", streaming: false })),
      ["widget.root.updated"],
    ],
    [
      "d: text without id replaced → root update",
      card(W.Text({ value: "Hello" })),
      card(W.Text({ value: "world!" })),
      ["widget.root.updated"],
    ],
  ];
  for (const [name, a, b, expected] of cases) {
    it(`W1${name}`, () => expect(diffWidget(a, b).map((u) => u.type)).toEqual(expected));
    it(`W1${name} (untyped JSON)`, () =>
      expect(diffWidget(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))).map((u) => u.type)).toEqual(
        expected,
      ));
  }

  it("W1: delta carries the suffix and done=!streaming", () => {
    expect(diffWidget(card(W.Markdown({ id: "m", value: "a" })), card(W.Markdown({ id: "m", value: "abc" })))).toEqual([
      { type: "widget.streaming_text.value_delta", component_id: "m", delta: "bc", done: true },
    ]);
  });

  it("W1: appends to a text without id produce no event", () => {
    expect(diffWidget(card(W.Text({ value: "a" })), card(W.Text({ value: "ab" })))).toEqual([]);
  });

  it("W1: a child added, a prop changed or a key changed → root update", () => {
    expect(diffWidget(card(), card(W.Divider()))[0]!.type).toBe("widget.root.updated");
    expect(diffWidget(W.Card({ children: [], padding: 1 }), W.Card({ children: [], padding: 2 }))[0]!.type).toBe(
      "widget.root.updated",
    );
    expect(
      diffWidget(card(W.Text({ id: "t", value: "a" })), card(W.Text({ key: "k", id: "t", value: "a" })))[0]!.type,
    ).toBe("widget.root.updated");
  });
});

describe("widget serialisation (W2/W3)", () => {
  it("W2: Card[Text] omits unset props", () => {
    const json = JSON.parse(toJson(card(W.Text({ value: "Hello" }))));
    expect(json).toEqual({ type: "Card", children: [{ type: "Text", value: "Hello" }] });
    for (const k of ["key", "padding", "status", "collapsed"]) expect(k in json).toBe(false);
    for (const k of ["italic", "streaming", "color", "key"]) expect(k in json.children[0]).toBe(false);
  });

  it("W3: nested inside a widget item the same rules hold", () => {
    const item = {
      type: "widget",
      id: "w",
      thread_id: "t",
      created_at: "x",
      widget: card(W.Text({ value: "Hello", color: undefined })),
      copy_text: null,
    };
    expect(toJson(item)).toBe(
      '{"type":"widget","id":"w","thread_id":"t","created_at":"x","widget":{"type":"Card","children":[{"type":"Text","value":"Hello"}]}}',
    );
  });

  it("builders write camelCase props and ActionConfig defaults", () => {
    const b = W.Button({ label: "Go", onClickAction: { type: "go", payload: { id: 1 } }, iconStart: "bolt" });
    expect(b).toEqual({
      type: "Button",
      label: "Go",
      onClickAction: { type: "go", payload: { id: 1 }, handler: "server", loadingBehavior: "auto", streaming: true },
      iconStart: "bolt",
    });
    const c = W.Card({ children: [], confirm: { label: "OK", action: { type: "ok", handler: "client" } } });
    expect(c.confirm).toEqual({
      label: "OK",
      action: { type: "ok", handler: "client", loadingBehavior: "auto", streaming: true },
    });
    expect(
      W.Select({ name: "s", options: [{ value: "a", label: "A" }], onChangeAction: { type: "c", streaming: false } })
        .onChangeAction,
    ).toEqual({ type: "c", handler: "server", loadingBehavior: "auto", streaming: false });
  });

  it("every builder sets its type and containers default children to []", () => {
    const built: [WidgetNode, string][] = [
      [W.ListView({ children: [W.ListViewItem({ children: [W.Text({ value: "x" })] })] }), "ListView"],
      [W.Basic({}), "Basic"],
      [W.Box({ direction: "row" }), "Box"],
      [W.Row({ gap: 2 }), "Row"],
      [W.Col({}), "Col"],
      [W.Form({ onSubmitAction: { type: "s" } }), "Form"],
      [W.Title({ value: "t", size: "lg" }), "Title"],
      [W.Caption({ value: "c" }), "Caption"],
      [W.Badge({ label: "b", color: "success" }), "Badge"],
      [W.Icon({ name: "lucide:star" }), "Icon"],
      [W.Image({ src: "https://x/i.png", aspectRatio: 1.5 }), "Image"],
      [W.Spacer({ minSize: 4 }), "Spacer"],
      [W.Input({ name: "i", inputType: "email" }), "Input"],
      [W.Textarea({ name: "t", rows: 3 }), "Textarea"],
      [W.Checkbox({ name: "c", defaultChecked: true }), "Checkbox"],
      [W.RadioGroup({ name: "r", options: [{ label: "A", value: "a" }] }), "RadioGroup"],
      [W.DatePicker({ name: "d", min: "2026-01-01T00:00:00Z" }), "DatePicker"],
      [W.Label({ value: "L", fieldName: "i" }), "Label"],
      [W.Transition({ children: W.Text({ value: "x" }) }), "Transition"],
    ];
    for (const [node, type] of built) expect(node.type).toBe(type);
    expect(W.Box({}).children).toEqual([]);
    expect(W.Form({}).onSubmitAction).toBeUndefined();
    expect(W.Form({ onSubmitAction: { type: "s" } }).onSubmitAction).toMatchObject({ handler: "server" });
    expect(W.Spacer()).toEqual({ type: "Spacer" });
  });
});

describe("widget streaming helpers (A1–A5)", () => {
  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };

  it("A1: a static widget is one thread.item.done", async () => {
    const events = await collect(
      streamWidget({ id: "thr" }, card(W.Text({ value: "Hello, world!" })), { generateId: () => "w1", copyText: "c" }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "thread.item.done",
      item: { id: "w1", type: "widget", copy_text: "c", widget: { children: [{ value: "Hello, world!" }] } },
    });
  });

  it("A2: a growing text streams one value delta", async () => {
    async function* states() {
      yield card(W.Text({ id: "text", value: "", streaming: true }));
      yield card(W.Text({ id: "text", value: "Hello, world", streaming: true }));
    }
    const events = await collect(streamWidget({ id: "thr" }, states(), { generateId: () => "w" }));
    expect(events.map((e) => e.type)).toEqual(["thread.item.added", "thread.item.updated", "thread.item.done"]);
    expect(events[1]).toMatchObject({ update: { type: "widget.streaming_text.value_delta", delta: "Hello, world" } });
  });

  it("A3: a key change causes a root update", async () => {
    async function* states() {
      yield card(W.Text({ id: "text", value: "Hello!" }));
      yield card(W.Text({ key: "other text", value: "World!", streaming: false }));
    }
    const events = await collect(streamWidget({ id: "thr" }, states(), { generateId: () => "w" }));
    expect(events.map((e) => (e.type === "thread.item.updated" ? e.update.type : e.type))).toEqual([
      "thread.item.added",
      "widget.root.updated",
      "thread.item.done",
    ]);
  });

  it("A5: accumulateText yields base, one state per delta, then streaming false", async () => {
    async function* model() {
      yield { type: "response.output_text.delta", delta: "Hello, " };
      yield { type: "response.created" };
      yield { type: "response.output_text.delta", delta: "world!" };
    }
    const states = await collect(accumulateText(model(), W.Text({ key: "text", value: "", streaming: true })));
    expect(states.map((s) => [s.value, s.streaming])).toEqual([
      ["", true],
      ["Hello, ", true],
      ["Hello, world!", true],
      ["Hello, world!", false],
    ]);
  });
});
