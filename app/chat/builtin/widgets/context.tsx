"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { WidgetNode } from "@/lib/chatkit/types";
import type { Theme } from "@/lib/ui/theme";
import type { WidgetActionConfig } from "@/lib/ui/widget-actions";

export type WidgetEnv = {
  theme: Theme;
  /** Unique per widget item: ids of fields (for their labels) never collide across the thread. */
  idPrefix: string;
  /** The component key of the control whose action is running ("self" loading), if any. */
  busyKey: string | null;
  /** An action runs with the whole widget busy ("container" loading) or any action runs: controls wait. */
  locked: boolean;
  /** The id of the widget's text in words: controls are described by it (which fact "Save" saves). */
  describedBy: string | undefined;
  /** Runs an action; `key` names the control for its own spinner; `values` are form/control values. */
  act(config: WidgetActionConfig, key: string, values?: Record<string, unknown>): void;
  /** Renders a child node (the dispatcher lives in widget-view.tsx). */
  render(node: WidgetNode, key: string): ReactNode;
};

export const WidgetContext = createContext<WidgetEnv | null>(null);

export function useWidgetEnv(): WidgetEnv {
  const env = useContext(WidgetContext);
  if (!env) throw new Error("Widget components render inside <WidgetView>.");
  return env;
}

/** Props as a loose record, with helpers for typed reads (the JSON is the server's, not ours). */
export type Props = WidgetNode;

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const bool = (v: unknown): boolean => v === true;
export const kids = (node: Props): WidgetNode[] =>
  Array.isArray(node.children) ? node.children.filter(isNode) : isNode(node.children) ? [node.children] : [];

export function isNode(v: unknown): v is WidgetNode {
  return !!v && typeof v === "object" && typeof (v as { type?: unknown }).type === "string";
}

/** Renders the children of a node with stable keys (`key`, `id`, else the position). */
export function Children({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  return <>{kids(node).map((child, i) => env.render(child, `${path}.${child.key ?? child.id ?? i}`))}</>;
}
