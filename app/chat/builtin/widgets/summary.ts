/**
 * A widget in words, for assistive technology: its texts (titles, text, captions, markdown) and
 * its badges. Buttons point at it with aria-describedby, so "Save" is heard with the fact it
 * saves; the chat's live region reads it when an action has changed the widget ("Saved: …").
 */
import type { WidgetNode } from "@/lib/chatkit/types";
import { kids, str } from "./context";

const TEXT_NODES = new Set(["Title", "Text", "Caption", "Markdown", "Label"]);

export type WidgetSummary = { texts: string[]; badges: string[] };

export function summarizeWidget(root: WidgetNode): WidgetSummary {
  const summary: WidgetSummary = { texts: [], badges: [] };
  const walk = (node: WidgetNode) => {
    const value = TEXT_NODES.has(node.type) ? str(node.value)?.trim() : undefined;
    if (value) summary.texts.push(value);
    const badge = node.type === "Badge" ? str(node.label)?.trim() : undefined;
    if (badge) summary.badges.push(badge);
    kids(node).forEach(walk);
  };
  walk(root);
  return summary;
}

/** What the widget says, e.g. "Save this fact? User's name is Ada" or "Saved: User's name is Ada". */
export function widgetSentence({ texts, badges }: WidgetSummary): string {
  const text = texts.join(" ");
  return badges.length > 0 ? `${badges.join(", ")}: ${text}` : text;
}
