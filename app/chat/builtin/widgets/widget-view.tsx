"use client";

import { Component, useCallback, useMemo, type ReactNode } from "react";
import type { WidgetNode } from "@/lib/chatkit/types";
import type { Theme } from "@/lib/ui/theme";
import type { WidgetActionConfig } from "@/lib/ui/widget-actions";
import { WidgetContext, type Props, type WidgetEnv } from "./context";
import { Button, Checkbox, DatePicker, Input, RadioGroup, Select, Textarea } from "./controls";
import { Box, Card, Divider, Form, ListView, ListViewItem, Spacer } from "./containers";
import { summarizeWidget, widgetSentence } from "./summary";
import { Badge, Caption, IconNode, ImageNode, Label, MarkdownNode, Placeholder, Text, Title } from "./text";

type Renderer = (node: Props, path: string) => ReactNode;

const RENDERERS: Record<string, Renderer> = {
  Card: (n, p) => <Card node={n} path={p} />,
  ListView: (n, p) => <ListView node={n} path={p} />,
  ListViewItem: (n, p) => <ListViewItem node={n} path={p} />,
  Basic: (n, p) => <Box node={n} path={p} direction={n.direction === "row" ? "row" : "column"} />,
  Box: (n, p) => <Box node={n} path={p} direction={n.direction === "row" ? "row" : "column"} />,
  Row: (n, p) => <Box node={n} path={p} direction="row" />,
  Col: (n, p) => <Box node={n} path={p} direction="column" />,
  Form: (n, p) => <Form node={n} path={p} />,
  Text: (n) => <Text node={n} />,
  Title: (n) => <Title node={n} />,
  Caption: (n) => <Caption node={n} />,
  Label: (n) => <Label node={n} />,
  Markdown: (n) => <MarkdownNode node={n} />,
  Badge: (n) => <Badge node={n} />,
  Icon: (n) => <IconNode node={n} />,
  Image: (n) => <ImageNode node={n} />,
  Button: (n, p) => <Button node={n} path={p} />,
  Divider: (n) => <Divider node={n} />,
  Spacer: (n) => <Spacer node={n} />,
  Input: (n) => <Input node={n} />,
  Textarea: (n) => <Textarea node={n} />,
  Select: (n, p) => <Select node={n} path={p} />,
  DatePicker: (n, p) => <DatePicker node={n} path={p} />,
  Checkbox: (n, p) => <Checkbox node={n} path={p} />,
  RadioGroup: (n, p) => <RadioGroup node={n} path={p} />,
  Transition: (n, p) => {
    const child = n.children as unknown;
    return child && typeof child === "object" && !Array.isArray(child)
      ? renderNode(child as WidgetNode, `${p}.0`)
      : Array.isArray(child) && child[0]
        ? renderNode(child[0] as WidgetNode, `${p}.0`)
        : null;
  },
};

function renderNode(node: WidgetNode, path: string): ReactNode {
  const render = RENDERERS[node.type];
  return (
    <NodeBoundary key={path} type={node.type}>
      {render ? render(node, path) : <Placeholder label={`Unsupported content (${node.type.slice(0, 40)})`} />}
    </NodeBoundary>
  );
}

/** A component that throws on odd props shows a placeholder; the rest of the thread keeps rendering. */
class NodeBoundary extends Component<{ type: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <Placeholder label={`Could not show ${this.props.type}`} /> : this.props.children;
  }
}

export type PendingAction = { key: string; scope: "self" | "container" | "none" };

/**
 * One widget item. `pending` is the action in flight on it (its control spins for "self",
 * the whole widget is busy for "container"); every control waits until it has finished.
 */
export function WidgetView({
  itemId,
  widget,
  theme,
  pending,
  busy,
  onAction,
}: {
  itemId: string;
  widget: WidgetNode;
  theme: Theme;
  pending: PendingAction | null;
  /** A reply is streaming: actions wait for it (sending one would cut the reply short). */
  busy: boolean;
  onAction: (itemId: string, config: WidgetActionConfig, key: string, values?: Record<string, unknown>) => void;
}) {
  const act = useCallback(
    (config: WidgetActionConfig, key: string, values?: Record<string, unknown>) =>
      onAction(itemId, config, key, values),
    [itemId, onAction],
  );
  const idPrefix = `w-${itemId.replace(/[^\w-]/g, "_")}`;
  const sentence = useMemo(() => widgetSentence(summarizeWidget(widget)), [widget]);
  const describedBy = sentence ? `${idPrefix}-summary` : undefined;
  const env = useMemo<WidgetEnv>(
    () => ({
      theme: widget.theme === "light" || widget.theme === "dark" ? widget.theme : theme,
      idPrefix,
      describedBy,
      busyKey: pending?.scope === "self" ? pending.key : null,
      locked: pending !== null || busy,
      act,
      render: renderNode,
    }),
    [widget.theme, theme, idPrefix, describedBy, pending, busy, act],
  );
  return (
    <WidgetContext.Provider value={env}>
      <div
        data-testid="widget"
        aria-busy={pending !== null}
        className={`relative ${pending?.scope === "container" ? "opacity-60" : ""}`}
      >
        {renderNode(widget, "root")}
        {describedBy && (
          <span id={describedBy} hidden>
            {sentence}
          </span>
        )}
      </div>
    </WidgetContext.Provider>
  );
}
