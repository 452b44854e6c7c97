"use client";

import { useId } from "react";
import { readActionConfig, type WidgetActionConfig } from "@/lib/ui/widget-actions";
import { Icon } from "../icons";
import { bool, str, useWidgetEnv, type Props } from "./context";

const BUTTON_COLOR: Record<string, { solid: string; soft: string; text: string }> = {
  primary: {
    solid: "bg-[var(--accent)] text-[var(--on-accent)]",
    soft: "bg-[var(--accent)]/15 text-[var(--accent)]",
    text: "text-[var(--accent)]",
  },
  secondary: {
    solid: "bg-[var(--fg)] text-[var(--card)]",
    soft: "bg-[var(--bg)] text-[var(--fg)]",
    text: "text-[var(--fg)]",
  },
  info: {
    solid: "bg-sky-700 text-white",
    soft: "bg-sky-500/15 text-sky-700 dark:text-sky-300",
    text: "text-sky-700 dark:text-sky-300",
  },
  discovery: {
    solid: "bg-violet-600 text-white",
    soft: "bg-violet-500/15 text-violet-700 dark:text-violet-300",
    text: "text-violet-700 dark:text-violet-300",
  },
  success: {
    solid: "bg-green-700 text-white",
    soft: "bg-green-500/15 text-green-700 dark:text-green-300",
    text: "text-green-700 dark:text-green-300",
  },
  caution: {
    solid: "bg-amber-500 text-black",
    soft: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
    text: "text-amber-700 dark:text-amber-300",
  },
  warning: {
    solid: "bg-amber-500 text-black",
    soft: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
    text: "text-amber-700 dark:text-amber-300",
  },
  danger: {
    solid: "bg-red-600 text-white",
    soft: "bg-red-500/15 text-red-700 dark:text-red-300",
    text: "text-red-700 dark:text-red-300",
  },
};
const BUTTON_SIZE: Record<string, string> = {
  "3xs": "px-1.5 py-0.5 text-xs",
  "2xs": "px-2 py-0.5 text-xs",
  xs: "px-2 py-1 text-xs",
  sm: "px-2.5 py-1 text-sm",
  md: "px-3.5 py-1.5 text-sm",
  lg: "px-4 py-2 text-base",
  xl: "px-5 py-2.5 text-base",
  "2xl": "px-6 py-3 text-lg",
  "3xl": "px-7 py-3.5 text-lg",
};

type ButtonLook = { color?: string; variant?: string; size?: string; pill?: boolean; block?: boolean };

function buttonClass(look: ButtonLook): string {
  const color = BUTTON_COLOR[look.color ?? "primary"] ?? BUTTON_COLOR.primary!;
  const variant = look.variant ?? "solid";
  const tone =
    variant === "solid"
      ? `${color.solid} hover:opacity-90`
      : variant === "soft"
        ? `${color.soft} hover:opacity-90`
        : variant === "outline"
          ? `border border-[var(--border)] ${color.text} hover:bg-[var(--bg)]`
          : `${color.text} hover:bg-[var(--bg)]`;
  return [
    "inline-flex items-center justify-center gap-1.5 font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] disabled:cursor-not-allowed disabled:opacity-60",
    tone,
    BUTTON_SIZE[look.size ?? "md"] ?? BUTTON_SIZE.md,
    look.pill ? "rounded-full" : "rounded-lg",
    look.block ? "w-full" : "",
  ].join(" ");
}

function Spinner() {
  return (
    <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" />
  );
}

/** A button bound to an action: busy while its own action runs, disabled while the widget is locked. */
export function ActionButton({
  label,
  config,
  path,
  primary,
  variant,
  look,
  iconStart,
  iconEnd,
  submit,
  disabled,
}: {
  label?: string;
  config: WidgetActionConfig | null;
  path: string;
  primary?: boolean;
  variant?: string;
  look?: ButtonLook;
  iconStart?: string;
  iconEnd?: string;
  submit?: boolean;
  disabled?: boolean;
}) {
  const env = useWidgetEnv();
  const busy = env.busyKey === path;
  const effective: ButtonLook = look ?? {
    color: primary ? "primary" : "secondary",
    variant: variant ?? (primary ? "solid" : "outline"),
  };
  return (
    <button
      type={submit ? "submit" : "button"}
      className={buttonClass(effective)}
      disabled={disabled || env.locked || (!config && !submit)}
      aria-busy={busy || undefined}
      aria-describedby={env.describedBy}
      onClick={submit || !config ? undefined : () => env.act(config, path)}
    >
      {busy ? <Spinner /> : iconStart ? <Icon name={iconStart} /> : null}
      {label}
      {iconEnd && <Icon name={iconEnd} />}
    </button>
  );
}

export function Button({ node, path }: { node: Props; path: string }) {
  const style = str(node.style);
  const look: ButtonLook = {
    color: str(node.color) ?? (style === "secondary" ? "secondary" : "primary"),
    variant: str(node.variant) ?? (style === "secondary" ? "outline" : "solid"),
    size: str(node.size),
    pill: bool(node.pill),
    block: bool(node.block),
  };
  return (
    <ActionButton
      label={str(node.label)}
      config={readActionConfig(node.onClickAction)}
      path={path}
      look={look}
      iconStart={str(node.iconStart)}
      iconEnd={str(node.iconEnd)}
      submit={bool(node.submit)}
      disabled={bool(node.disabled)}
    />
  );
}

const FIELD =
  "w-full rounded-lg border border-[var(--border)] bg-[var(--card)] px-3 py-2 text-sm text-[var(--fg)] placeholder:text-[var(--muted)] focus:border-[var(--accent)] focus:outline-none focus-visible:ring-2 focus-visible:ring-[var(--accent)]/40 disabled:opacity-60";

/** A control that fires its `onChangeAction` with `{[name]: value}` merged into the payload. */
function useChange(node: Props, path: string) {
  const env = useWidgetEnv();
  const config = readActionConfig(node.onChangeAction);
  const name = str(node.name) ?? "value";
  return (value: unknown) => {
    if (config) env.act(config, path, { [name]: value });
  };
}

export function Input({ node }: { node: Props }) {
  const env = useWidgetEnv();
  const kind = str(node.inputType);
  return (
    <input
      id={fieldId(env.idPrefix, node)}
      name={str(node.name)}
      type={kind && ["number", "email", "text", "password", "tel", "url"].includes(kind) ? kind : "text"}
      defaultValue={str(node.defaultValue)}
      placeholder={str(node.placeholder)}
      required={bool(node.required)}
      pattern={str(node.pattern)}
      disabled={bool(node.disabled) || env.locked}
      aria-label={str(node.placeholder) ?? str(node.name)}
      className={`${FIELD} ${node.pill === true ? "rounded-full" : ""}`}
    />
  );
}

export function Textarea({ node }: { node: Props }) {
  const env = useWidgetEnv();
  return (
    <textarea
      id={fieldId(env.idPrefix, node)}
      name={str(node.name)}
      rows={typeof node.rows === "number" ? node.rows : 3}
      defaultValue={str(node.defaultValue)}
      placeholder={str(node.placeholder)}
      required={bool(node.required)}
      disabled={bool(node.disabled) || env.locked}
      aria-label={str(node.placeholder) ?? str(node.name)}
      className={FIELD}
    />
  );
}

type Option = { value: string; label: string; disabled?: boolean };
function options(value: unknown): Option[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((o) => {
    if (!o || typeof o !== "object") return [];
    const r = o as Record<string, unknown>;
    const v = str(r.value);
    return v === undefined ? [] : [{ value: v, label: str(r.label) ?? v, disabled: r.disabled === true }];
  });
}

export function Select({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const onChange = useChange(node, path);
  return (
    <select
      id={fieldId(env.idPrefix, node)}
      name={str(node.name)}
      defaultValue={str(node.defaultValue) ?? ""}
      disabled={bool(node.disabled) || env.locked}
      aria-label={str(node.placeholder) ?? str(node.name)}
      onChange={(e) => onChange(e.currentTarget.value)}
      className={`${FIELD} ${node.block === true ? "" : "sm:w-auto"}`}
    >
      {str(node.placeholder) !== undefined && (
        <option value="" disabled>
          {str(node.placeholder)}
        </option>
      )}
      {options(node.options).map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function DatePicker({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const onChange = useChange(node, path);
  return (
    <input
      type="date"
      id={fieldId(env.idPrefix, node)}
      name={str(node.name)}
      defaultValue={str(node.defaultValue)?.slice(0, 10)}
      min={str(node.min)?.slice(0, 10)}
      max={str(node.max)?.slice(0, 10)}
      disabled={bool(node.disabled) || env.locked}
      aria-label={str(node.placeholder) ?? str(node.name)}
      onChange={(e) => onChange(e.currentTarget.value)}
      className={`${FIELD} sm:w-auto`}
    />
  );
}

export function Checkbox({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const onChange = useChange(node, path);
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        name={str(node.name)}
        defaultChecked={bool(node.defaultChecked)}
        required={bool(node.required)}
        disabled={bool(node.disabled) || env.locked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        className="h-4 w-4 accent-[var(--accent)]"
      />
      {str(node.label)}
    </label>
  );
}

export function RadioGroup({ node, path }: { node: Props; path: string }) {
  const env = useWidgetEnv();
  const onChange = useChange(node, path);
  const group = useId();
  const name = str(node.name) ?? group;
  return (
    <div
      role="radiogroup"
      aria-label={str(node.ariaLabel) ?? str(node.name)}
      className={`flex gap-3 text-sm ${node.direction === "col" ? "flex-col" : "flex-wrap"}`}
    >
      {options(node.options).map((o) => (
        <label key={o.value} className="inline-flex items-center gap-2">
          <input
            type="radio"
            name={name}
            value={o.value}
            defaultChecked={str(node.defaultValue) === o.value}
            disabled={o.disabled || bool(node.disabled) || env.locked}
            required={bool(node.required)}
            onChange={() => onChange(o.value)}
            className="h-4 w-4 accent-[var(--accent)]"
          />
          {o.label}
        </label>
      ))}
    </div>
  );
}

/** Fields are labelled by a `Label` whose `fieldName` matches their name: the id ties them together. */
export function fieldId(prefix: string, node: Props): string | undefined {
  const name = str(node.name);
  return name ? `${prefix}-${name.replace(/[^\w-]/g, "_")}` : undefined;
}
