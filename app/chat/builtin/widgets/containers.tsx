"use client";

import { useState } from "react";
import { boxStyle, cssColor, cssLength, cssSpace, spacingSides } from "@/lib/ui/widget-style";
import { formValues, readActionConfig } from "@/lib/ui/widget-actions";
import { Icon } from "../icons";
import { Children, kids, str, useWidgetEnv, type Props } from "./context";
import { ActionButton } from "./controls";

const CARD_WIDTH: Record<string, string> = { sm: "max-w-sm", md: "max-w-md", lg: "max-w-xl", full: "max-w-none" };

/** A widget's status line (`{text, icon}` or `{text, favicon}`) above its content. */
function Status({ status }: { status: unknown }) {
  if (!status || typeof status !== "object") return null;
  const s = status as Record<string, unknown>;
  const text = str(s.text);
  if (!text) return null;
  return (
    <p className="mb-2 flex items-center gap-1.5 text-xs text-[var(--muted)]">
      {str(s.icon) && <Icon name={str(s.icon)!} className="h-3.5 w-3.5" />}
      {text}
    </p>
  );
}

export function Card({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const padding = spacingSides(node.padding);
  const confirm = cardAction(node.confirm);
  const cancel = cardAction(node.cancel);
  const body = (
    <>
      <Status status={node.status} />
      <div className="flex flex-col gap-3">
        <Children node={node} path={path} />
      </div>
      {(confirm || cancel) && (
        <div className="mt-3 flex justify-end gap-2">
          {cancel && (
            <ActionButton label={cancel.label} config={cancel.action} path={`${path}.cancel`} variant="outline" />
          )}
          {confirm && <ActionButton label={confirm.label} config={confirm.action} path={`${path}.confirm`} primary />}
        </div>
      )}
    </>
  );
  const className = `w-full ${CARD_WIDTH[str(node.size) ?? "md"] ?? "max-w-md"} rounded-xl border border-[var(--border)] bg-[var(--card)] p-4 shadow-sm`;
  const style = {
    background: cssColor(node.background, env.theme),
    paddingTop: padding.top,
    paddingRight: padding.right,
    paddingBottom: padding.bottom,
    paddingLeft: padding.left,
  };
  if (node.collapsed === true) return null;
  if (node.asForm === true) {
    return (
      <FormShell className={className} style={style} node={node} path={path} submit={confirm?.action ?? null}>
        {body}
      </FormShell>
    );
  }
  return (
    <div className={className} style={style}>
      {body}
    </div>
  );
}

function cardAction(value: unknown) {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const action = readActionConfig(v.action);
  const label = str(v.label);
  return action && label ? { label, action } : null;
}

/** A form: submitting sends the named field values with the form's (or the confirm button's) action. */
export function FormShell({
  className,
  style,
  path,
  submit,
  children,
}: {
  className?: string;
  style?: React.CSSProperties;
  node: Props;
  path: string;
  submit: ReturnType<typeof readActionConfig>;
  children: React.ReactNode;
}) {
  const env = useWidgetEnv();
  return (
    <form
      className={className}
      style={style}
      onSubmit={(event) => {
        event.preventDefault();
        if (!submit || env.locked) return;
        env.act(submit, `${path}.submit`, formValues(event.currentTarget));
      }}
    >
      {children}
    </form>
  );
}

export function Form({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  return (
    <FormShell
      node={node}
      path={path}
      submit={readActionConfig(node.onSubmitAction)}
      style={boxStyle(node, node.direction === "row" ? "row" : "column", env.theme)}
    >
      <Children node={node} path={path} />
    </FormShell>
  );
}

export function Box({ node, path, direction }: { node: Props; path: string; direction: "row" | "column" }) {
  const env = useWidgetEnv();
  const style = boxStyle(node, direction, env.theme);
  if (direction === "row" && style.alignItems === undefined) style.alignItems = "center";
  return (
    <div style={style} className={direction === "row" ? "min-w-0" : undefined}>
      <Children node={node} path={path} />
    </div>
  );
}

export function ListView({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const [expanded, setExpanded] = useState(false);
  const items = kids(node);
  const limit = typeof node.limit === "number" && node.limit > 0 ? node.limit : items.length;
  const shown = expanded ? items : items.slice(0, limit);
  return (
    <div className="w-full max-w-xl rounded-xl border border-[var(--border)] bg-[var(--card)] p-2 shadow-sm">
      <div className="px-2">
        <Status status={node.status} />
      </div>
      <ul className="divide-y divide-[var(--border)]">
        {shown.map((child, i) => (
          <li key={child.key ?? child.id ?? i}>{env.render(child, `${path}.${child.key ?? child.id ?? i}`)}</li>
        ))}
      </ul>
      {shown.length < items.length && (
        <button
          type="button"
          onClick={() => setExpanded(true)}
          className="mt-1 w-full rounded-md px-2 py-1.5 text-sm font-medium text-[var(--accent)] hover:bg-[var(--bg)]"
        >
          Show {items.length - shown.length} more
        </button>
      )}
    </div>
  );
}

export function ListViewItem({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const action = readActionConfig(node.onClickAction);
  const style = boxStyle({ gap: 3, ...node, padding: undefined }, "row", env.theme);
  style.alignItems ??= "center";
  if (!action) {
    return (
      <div style={style} className="px-2 py-2">
        <Children node={node} path={path} />
      </div>
    );
  }
  return (
    <button
      type="button"
      style={style}
      disabled={env.locked}
      aria-busy={env.busyKey === path}
      onClick={() => env.act(action, path)}
      className="w-full rounded-md px-2 py-2 text-left hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)] disabled:opacity-60"
    >
      <Children node={node} path={path} />
    </button>
  );
}

export function Divider({ node }: { node: Props }) {
  const env = useWidgetEnv();
  const spacing = cssSpace(node.spacing);
  return (
    <hr
      className="w-full border-0"
      style={{
        borderTop: `${cssLength(node.size) ?? "1px"} solid ${cssColor(node.color, env.theme) ?? "var(--border)"}`,
        marginTop: spacing,
        marginBottom: spacing,
      }}
    />
  );
}

export function Spacer({ node }: { node: Props }) {
  return (
    <div
      aria-hidden
      className="flex-1"
      style={{ minWidth: cssLength(node.minSize), minHeight: cssLength(node.minSize) }}
    />
  );
}
