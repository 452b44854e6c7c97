/**
 * How the built-in chat turns widget props (sizes, spacing, colours, radii) into CSS. Values
 * come from the server's widget JSON, so anything outside the known tokens and plain CSS
 * lengths/colours is dropped rather than passed to the style attribute.
 */
import type { CSSProperties } from "react";
import type { Theme } from "./theme";

/** One spacing step of the widget catalogue is 4px (ChatKit's scale). */
const STEP_REM = 0.25;
const CSS_LENGTH = /^-?\d+(\.\d+)?(px|rem|em|%|vh|vw|dvh|ch)$/;
const CSS_COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla|oklch)\([\d\s.,%/-]+\)|[a-z]{3,20})$/i;

/** Named colours of the catalogue, mapped onto the page's palette or a fixed tint. */
const COLOR_TOKENS: Record<string, { light: string; dark: string }> = {
  prose: { light: "var(--fg)", dark: "var(--fg)" },
  primary: { light: "var(--fg)", dark: "var(--fg)" },
  emphasis: { light: "var(--fg)", dark: "var(--fg)" },
  secondary: { light: "var(--muted)", dark: "var(--muted)" },
  tertiary: { light: "#94a3b8", dark: "#64748b" },
  accent: { light: "var(--accent)", dark: "var(--accent)" },
  info: { light: "#0369a1", dark: "#7dd3fc" },
  discovery: { light: "#7c3aed", dark: "#c4b5fd" },
  success: { light: "#15803d", dark: "#86efac" },
  caution: { light: "#b45309", dark: "#fcd34d" },
  warning: { light: "#b45309", dark: "#fcd34d" },
  danger: { light: "#b91c1c", dark: "#fca5a5" },
  surface: { light: "var(--card)", dark: "var(--card)" },
  "surface-secondary": { light: "var(--bg)", dark: "var(--bg)" },
  "surface-tertiary": { light: "#f1f5f9", dark: "#1e293b" },
  "surface-elevated": { light: "var(--card)", dark: "#17213a" },
  border: { light: "var(--border)", dark: "var(--border)" },
};

/** A colour prop (token, CSS colour, or `{light, dark}`) as a CSS value, or undefined. */
export function cssColor(value: unknown, theme: Theme): string | undefined {
  if (value && typeof value === "object" && "light" in value && "dark" in value) {
    return cssColor((value as Record<Theme, unknown>)[theme], theme);
  }
  if (typeof value !== "string") return undefined;
  const token = COLOR_TOKENS[value] ?? COLOR_TOKENS[value.replace(/^(alpha|gray|grey)-/, "")];
  if (token) return token[theme];
  return CSS_COLOR.test(value) ? value : undefined;
}

/** A size prop: numbers are pixels (as in ChatKit), strings must be plain CSS lengths. */
export function cssLength(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return `${value}px`;
  if (typeof value === "string" && (CSS_LENGTH.test(value) || value === "auto")) return value;
  return undefined;
}

/** A spacing step (gap, padding, margin): numbers count 4px steps, strings are CSS lengths. */
export function cssSpace(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return `${value * STEP_REM}rem`;
  return cssLength(value);
}

type Sides = { top?: string; right?: string; bottom?: string; left?: string };

/** `padding`/`margin`: one value for all sides, or `{top, right, bottom, left, x, y}`. */
export function spacingSides(value: unknown): Sides {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    const x = cssSpace(v.x);
    const y = cssSpace(v.y);
    return {
      top: cssSpace(v.top) ?? y,
      right: cssSpace(v.right) ?? x,
      bottom: cssSpace(v.bottom) ?? y,
      left: cssSpace(v.left) ?? x,
    };
  }
  const all = cssSpace(value);
  return all ? { top: all, right: all, bottom: all, left: all } : {};
}

const RADII: Record<string, string> = {
  "2xs": "2px",
  xs: "4px",
  sm: "6px",
  md: "8px",
  lg: "12px",
  xl: "16px",
  "2xl": "20px",
  "3xl": "24px",
  "4xl": "32px",
  full: "9999px",
  "100%": "100%",
  none: "0",
};

export function cssRadius(value: unknown): string | undefined {
  return typeof value === "string" ? RADII[value] : undefined;
}

const ALIGN: Record<string, string> = {
  start: "flex-start",
  center: "center",
  end: "flex-end",
  baseline: "baseline",
  stretch: "stretch",
};
const JUSTIFY: Record<string, string> = {
  start: "flex-start",
  center: "center",
  end: "flex-end",
  between: "space-between",
  around: "space-around",
  evenly: "space-evenly",
  stretch: "stretch",
};

function pick<T>(table: Record<string, T>, value: unknown): T | undefined {
  return typeof value === "string" ? table[value] : undefined;
}

/** The CSS of a Box/Row/Col/Form/ListViewItem from its props. */
export function boxStyle(props: Record<string, unknown>, direction: "row" | "column", theme: Theme): CSSProperties {
  const padding = spacingSides(props.padding);
  const margin = spacingSides(props.margin);
  const border =
    typeof props.border === "number"
      ? `${props.border}px solid var(--border)`
      : props.border && typeof props.border === "object"
        ? borderFrom(props.border as Record<string, unknown>, theme)
        : undefined;
  const style: CSSProperties = {
    display: "flex",
    flexDirection: direction,
    alignItems: pick(ALIGN, props.align),
    justifyContent: pick(JUSTIFY, props.justify),
    flexWrap: props.wrap === "wrap" || props.wrap === "wrap-reverse" ? props.wrap : undefined,
    gap: cssSpace(props.gap),
    flex:
      typeof props.flex === "number" ? props.flex : typeof props.flex === "string" ? cssFlex(props.flex) : undefined,
    paddingTop: padding.top,
    paddingRight: padding.right,
    paddingBottom: padding.bottom,
    paddingLeft: padding.left,
    marginTop: margin.top,
    marginRight: margin.right,
    marginBottom: margin.bottom,
    marginLeft: margin.left,
    border,
    borderRadius: cssRadius(props.radius),
    background: cssColor(props.background, theme),
    aspectRatio: typeof props.aspectRatio === "number" ? props.aspectRatio : undefined,
    ...sizing(props),
  };
  return compact(style);
}

/** width/height/min/max props (and `size`, which sets both). */
export function sizing(props: Record<string, unknown>): CSSProperties {
  const size = cssLength(props.size);
  return compact({
    width: cssLength(props.width) ?? size,
    height: cssLength(props.height) ?? size,
    minWidth: cssLength(props.minWidth) ?? cssLength(props.minSize),
    minHeight: cssLength(props.minHeight) ?? cssLength(props.minSize),
    maxWidth: cssLength(props.maxWidth) ?? cssLength(props.maxSize),
    maxHeight: cssLength(props.maxHeight) ?? cssLength(props.maxSize),
  });
}

function borderFrom(border: Record<string, unknown>, theme: Theme): string | undefined {
  const width = typeof border.size === "number" ? border.size : 1;
  const style = border.style === "dashed" || border.style === "dotted" ? border.style : "solid";
  return `${width}px ${style} ${cssColor(border.color, theme) ?? "var(--border)"}`;
}

function cssFlex(value: string): string | undefined {
  return /^[\d.]+( [\d.]+)?( (auto|\d+(px|%|rem)))?$/.test(value) || value === "auto" || value === "none"
    ? value
    : undefined;
}

function compact(style: CSSProperties): CSSProperties {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(style)) if (value !== undefined) out[key] = value;
  return out as CSSProperties;
}

/** Text sizes of the catalogue as Tailwind classes. */
export const TEXT_SIZE: Record<string, string> = {
  xs: "text-xs",
  sm: "text-sm",
  md: "text-base",
  lg: "text-lg",
  xl: "text-xl",
  "2xl": "text-2xl",
  "3xl": "text-3xl",
  "4xl": "text-4xl",
  "5xl": "text-5xl",
};
export const WEIGHT: Record<string, string> = {
  normal: "font-normal",
  medium: "font-medium",
  semibold: "font-semibold",
  bold: "font-bold",
};
export const TEXT_ALIGN: Record<string, string> = { start: "text-left", center: "text-center", end: "text-right" };

/** Only http(s) and same-origin paths may be loaded or linked from a widget. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (value.startsWith("/") && !value.startsWith("//")) return value;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
