/**
 * Finding and replacing one component of a widget tree by id, immutably. Components may sit in
 * `children` or in any other prop (a ListViewItem's content, a Form's fields…), so the walk
 * looks into every object and array; only the path to the changed node is copied.
 */
import type { WidgetNode } from "../chatkit/types";

function isNode(v: unknown): v is WidgetNode {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === "string";
}

function mapValue(v: unknown, id: string, fn: (node: WidgetNode) => WidgetNode): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const next = mapValue(v[i], id, fn);
      if (next !== v[i]) {
        const copy = v.slice();
        copy[i] = next;
        return copy;
      }
    }
    return v;
  }
  if (typeof v !== "object" || v === null) return v;
  const obj = v as Record<string, unknown>;
  if (isNode(obj) && obj.id === id) return fn(obj);
  for (const k in obj) {
    const child = obj[k];
    if (typeof child !== "object" || child === null) continue;
    const next = mapValue(child, id, fn);
    if (next !== child) return { ...obj, [k]: next };
  }
  return v;
}

/** `root` with the first component whose `id` is `id` replaced by `fn(component)`; `root` itself when absent. */
export function updateWidgetNode(root: WidgetNode, id: string, fn: (node: WidgetNode) => WidgetNode): WidgetNode {
  return mapValue(root, id, fn) as WidgetNode;
}

/** The first component with this id, or null. */
export function findWidgetNode(root: unknown, id: string): WidgetNode | null {
  if (Array.isArray(root)) {
    for (const x of root) {
      const hit = findWidgetNode(x, id);
      if (hit) return hit;
    }
    return null;
  }
  if (typeof root !== "object" || root === null) return null;
  if (isNode(root) && root.id === id) return root;
  for (const k in root) {
    const hit = findWidgetNode((root as Record<string, unknown>)[k], id);
    if (hit) return hit;
  }
  return null;
}
