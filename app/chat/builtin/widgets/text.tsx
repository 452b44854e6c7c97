"use client";

import { TEXT_ALIGN, TEXT_SIZE, WEIGHT, cssColor, cssLength, cssRadius, safeUrl, sizing } from "@/lib/ui/widget-style";
import { Icon as Glyph } from "../icons";
import { LazyMarkdown } from "../lazy-markdown";
import { bool, str, useWidgetEnv, type Props } from "./context";
import { fieldId } from "./controls";

function textClass(node: Props, fallbackSize: string, fallbackWeight = "normal"): string {
  return [
    TEXT_SIZE[str(node.size) ?? fallbackSize] ?? TEXT_SIZE[fallbackSize],
    WEIGHT[str(node.weight) ?? fallbackWeight],
    TEXT_ALIGN[str(node.textAlign) ?? "start"],
    node.italic === true ? "italic" : "",
    node.lineThrough === true ? "line-through" : "",
    node.truncate === true ? "truncate" : "break-words",
    "min-w-0",
  ].join(" ");
}

function clamp(node: Props): React.CSSProperties {
  const lines = typeof node.maxLines === "number" ? node.maxLines : undefined;
  return lines
    ? { display: "-webkit-box", WebkitLineClamp: lines, WebkitBoxOrient: "vertical", overflow: "hidden" }
    : {};
}

export function Text({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <p
      className={textClass(node, "sm")}
      style={{ color: cssColor(node.color, env.theme), width: cssLength(node.width), ...clamp(node) }}
    >
      {str(node.value)}
    </p>
  );
}

export function Title({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <h3
      className={textClass(node, "md", "semibold")}
      style={{ color: cssColor(node.color, env.theme), ...clamp(node) }}
    >
      {str(node.value)}
    </h3>
  );
}

export function Caption({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <p
      className={textClass(node, "xs")}
      style={{ color: cssColor(node.color, env.theme) ?? "var(--muted)", ...clamp(node) }}
    >
      {str(node.value)}
    </p>
  );
}

export function Label({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <label
      htmlFor={fieldId(env.idPrefix, { type: "Label", name: str(node.fieldName) })}
      className={textClass(node, "sm", "medium")}
      style={{ color: cssColor(node.color, env.theme) }}
    >
      {str(node.value)}
    </label>
  );
}

export function MarkdownNode({ node }: { node: Props }) {
  return <LazyMarkdown text={str(node.value) ?? ""} />;
}

const BADGE: Record<string, { solid: string; soft: string; outline: string }> = {
  secondary: {
    solid: "bg-slate-600 text-white",
    soft: "bg-slate-500/15 text-[var(--fg)]",
    outline: "border border-[var(--border)] text-[var(--fg)]",
  },
  success: {
    solid: "bg-green-700 text-white",
    soft: "bg-green-500/15 text-green-800 dark:text-green-300",
    outline: "border border-green-500/50 text-green-800 dark:text-green-300",
  },
  danger: {
    solid: "bg-red-600 text-white",
    soft: "bg-red-500/15 text-red-800 dark:text-red-300",
    outline: "border border-red-500/50 text-red-800 dark:text-red-300",
  },
  warning: {
    solid: "bg-amber-500 text-black",
    soft: "bg-amber-500/15 text-amber-800 dark:text-amber-300",
    outline: "border border-amber-500/50 text-amber-800 dark:text-amber-300",
  },
  info: {
    solid: "bg-sky-700 text-white",
    soft: "bg-sky-500/15 text-sky-800 dark:text-sky-300",
    outline: "border border-sky-500/50 text-sky-800 dark:text-sky-300",
  },
  discovery: {
    solid: "bg-violet-600 text-white",
    soft: "bg-violet-500/15 text-violet-800 dark:text-violet-300",
    outline: "border border-violet-500/50 text-violet-800 dark:text-violet-300",
  },
};

export function Badge({ node }: { node: Props }) {
  const tone = BADGE[str(node.color) ?? "secondary"] ?? BADGE.secondary!;
  const variant = str(node.variant);
  const size =
    str(node.size) === "lg"
      ? "px-2.5 py-1 text-sm"
      : str(node.size) === "sm"
        ? "px-1.5 text-[11px]"
        : "px-2 py-0.5 text-xs";
  return (
    <span
      className={`inline-flex shrink-0 items-center font-medium ${size} ${bool(node.pill) ? "rounded-full" : "rounded-md"} ${
        variant === "solid" ? tone.solid : variant === "outline" ? tone.outline : tone.soft
      }`}
    >
      {str(node.label)}
    </span>
  );
}

const ICON_SIZE: Record<string, string> = {
  xs: "h-3 w-3",
  sm: "h-3.5 w-3.5",
  md: "h-4 w-4",
  lg: "h-5 w-5",
  xl: "h-6 w-6",
  "2xl": "h-7 w-7",
  "3xl": "h-8 w-8",
};

export function IconNode({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <Glyph
      name={str(node.name) ?? ""}
      className={`shrink-0 ${ICON_SIZE[str(node.size) ?? "md"] ?? ICON_SIZE.md}`}
      style={{ color: cssColor(node.color, env.theme) }}
    />
  );
}

export function ImageNode({ node }: { node: Props }) {
  const src = safeUrl(node.src);
  if (!src) return <Placeholder label="Image unavailable" />;
  const fit = str(node.fit);
  return (
    // Widget images come from arbitrary hosts chosen by the server: a plain <img>, lazily loaded.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={src}
      alt={str(node.alt) ?? ""}
      loading="lazy"
      referrerPolicy="no-referrer"
      className={`max-w-full ${bool(node.frame) ? "border border-[var(--border)]" : ""}`}
      style={{
        objectFit:
          fit && ["cover", "contain", "fill", "scale-down", "none"].includes(fit) ? (fit as "cover") : undefined,
        borderRadius: cssRadius(node.radius),
        ...sizing(node),
      }}
    />
  );
}

/** What an unknown or unreadable component shows: a quiet box, never an exception. */
export function Placeholder({ label }: { label: string }) {
  return (
    <div
      data-testid="widget-placeholder"
      className="rounded-md border border-dashed border-[var(--border)] px-2 py-1 text-xs text-[var(--muted)]"
    >
      {label}
    </div>
  );
}
