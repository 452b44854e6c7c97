/**
 * Widgets over time: the widget diff (PROTOCOL.md §7.3) that turns one state of a widget into the
 * next as item updates, and the helpers that stream a widget or fill a text component from
 * model deltas.
 */
import { nowIso } from "./store";
import type { ThreadItemUpdate, ThreadMetadata, ThreadStreamEvent, WidgetItem, WidgetNode, WidgetRoot } from "./types";

// ---------------------------------------------------------------------------------------
// Diff (PROTOCOL.md §7.3)

const isComponent = (v: unknown): v is WidgetNode =>
  v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as { type?: unknown }).type === "string";

const isStreamingText = (n: WidgetNode): boolean =>
  (n.type === "Text" || n.type === "Markdown") && typeof n.value === "string";

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == b;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) if (!sameValue(ao[k], bo[k])) return false;
  return true;
}

function needsFullReplace(before: WidgetNode, after: WidgetNode): boolean {
  if (before.type !== after.type || before.id !== after.id || before.key !== after.key) return true;
  const textPair = isStreamingText(before) && isStreamingText(after);
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (k === "type" || k === "id" || k === "key") continue;
    const a = before[k];
    const b = after[k];
    if (k === "value" && textPair && (b as string).startsWith(a as string)) continue;
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return true;
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        const y = b[i];
        if (isComponent(x) && isComponent(y)) {
          if (needsFullReplace(x, y)) return true;
        } else if (!sameValue(x, y)) return true;
      }
    } else if (isComponent(a) && isComponent(b)) {
      if (needsFullReplace(a, b)) return true;
    } else if (!sameValue(a, b)) return true;
  }
  return false;
}

function collectStreamingTexts(root: unknown, out: Map<string, WidgetNode>): Map<string, WidgetNode> {
  if (Array.isArray(root)) {
    for (const x of root) collectStreamingTexts(x, out);
  } else if (root !== null && typeof root === "object") {
    const n = root as WidgetNode;
    if (isComponent(n) && isStreamingText(n) && typeof n.id === "string") out.set(n.id, n);
    for (const k in n) {
      const v = n[k];
      if (v !== null && typeof v === "object") collectStreamingTexts(v, out);
    }
  }
  return out;
}

/** Updates that turn `before` into `after`: value deltas when only streaming texts grew, else one root update. */
export function diffWidget(before: WidgetRoot, after: WidgetRoot): ThreadItemUpdate[] {
  if (needsFullReplace(before, after)) return [{ type: "widget.root.updated", widget: after }];
  const old = collectStreamingTexts(before, new Map());
  const updates: ThreadItemUpdate[] = [];
  for (const [id, n] of collectStreamingTexts(after, new Map())) {
    const prev = old.get(id);
    if (!prev) throw new Error(`Streaming text component ${id} appeared without a previous state`);
    const a = prev.value as string;
    const b = n.value as string;
    if (!b.startsWith(a)) throw new Error(`Streaming text component ${id} changed instead of growing`);
    if (b.length > a.length) {
      updates.push({
        type: "widget.streaming_text.value_delta",
        component_id: id,
        delta: b.slice(a.length),
        done: !n.streaming,
      });
    }
  }
  return updates;
}

// ---------------------------------------------------------------------------------------
// Streaming helpers

export type StreamWidgetOptions = {
  /** Item id generator (normally `() => store.generateItemId("message", thread, context)`). */
  generateId: () => string;
  copyText?: string | null;
};

function isAsyncIterable<T>(v: unknown): v is AsyncIterable<T> {
  return v != null && typeof (v as AsyncIterable<T>)[Symbol.asyncIterator] === "function";
}

/**
 * Events for a widget: one `thread.item.done` for a static root; for an async iterable of
 * successive roots, `added` (first state), `updated`×n (diffs), `done` (last state).
 */
export async function* streamWidget(
  thread: Pick<ThreadMetadata, "id">,
  widget: WidgetRoot | AsyncIterable<WidgetRoot>,
  options: StreamWidgetOptions,
): AsyncGenerator<ThreadStreamEvent> {
  const id = options.generateId();
  const make = (root: WidgetRoot): WidgetItem => {
    const item: WidgetItem = { type: "widget", id, thread_id: thread.id, created_at: nowIso(), widget: root };
    if (options.copyText != null) item.copy_text = options.copyText;
    return item;
  };
  if (!isAsyncIterable<WidgetRoot>(widget)) {
    yield { type: "thread.item.done", item: make(widget) };
    return;
  }
  const it = widget[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  let last = first.value;
  const item = make(last);
  yield { type: "thread.item.added", item };
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    for (const update of diffWidget(last, r.value)) yield { type: "thread.item.updated", item_id: id, update };
    last = r.value;
  }
  yield { type: "thread.item.done", item: { ...item, widget: last } };
}

/**
 * Successive states of a Text/Markdown component filled from `response.output_text.delta`
 * events: the base, one state per delta, then a final state with `streaming: false`.
 */
export async function* accumulateText(
  events: AsyncIterable<{ type: string; delta?: unknown }>,
  base: WidgetNode,
): AsyncGenerator<WidgetNode> {
  let text = typeof base.value === "string" ? base.value : "";
  yield { ...base, value: text };
  for await (const e of events) {
    if (e.type === "response.output_text.delta" && typeof e.delta === "string") {
      text += e.delta;
      yield { ...base, value: text };
    }
  }
  yield { ...base, value: text, streaming: false };
}
