/**
 * Widget actions in the built-in chat: the `ActionConfig` a component carries (read with the
 * defaults the protocol writes), and what to send when it fires. `handler: "server"` actions
 * become `threads.custom_action`; `handler: "client"` ones are run by the page.
 */
import { z } from "zod/mini";

const actionConfig = z.object({
  type: z.string().check(z.minLength(1)),
  payload: z.optional(z.unknown()),
  handler: z._default(z.enum(["server", "client"]), "server"),
  loadingBehavior: z._default(z.enum(["auto", "none", "self", "container"]), "auto"),
  streaming: z._default(z.boolean(), true),
});
export type WidgetActionConfig = z.infer<typeof actionConfig>;

/** The action of a component prop, or null when it is missing or malformed (the control is then inert). */
export function readActionConfig(value: unknown): WidgetActionConfig | null {
  const parsed = actionConfig.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The protocol's `Action`: the type and a payload merged with the values of the control or form. */
export function actionToSend(
  config: WidgetActionConfig,
  values?: Record<string, unknown>,
): { type: string; payload?: unknown } {
  if (!values || Object.keys(values).length === 0) {
    return config.payload === undefined ? { type: config.type } : { type: config.type, payload: config.payload };
  }
  const base =
    config.payload && typeof config.payload === "object" && !Array.isArray(config.payload)
      ? (config.payload as Record<string, unknown>)
      : config.payload === undefined
        ? {}
        : { value: config.payload };
  return { type: config.type, payload: { ...base, ...values } };
}

/** Where the "busy" state shows while an action runs: on the control, on the whole widget, or nowhere. */
export function loadingScope(config: WidgetActionConfig): "self" | "container" | "none" {
  if (config.loadingBehavior === "auto") return "self";
  return config.loadingBehavior;
}

/** The named values of a form, as the action payload expects them (checkboxes as booleans). */
export function formValues(form: HTMLFormElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) {
      if (element instanceof HTMLSelectElement && element.name) out[element.name] = element.value;
      continue;
    }
    if (!element.name) continue;
    if (element instanceof HTMLInputElement && element.type === "checkbox") out[element.name] = element.checked;
    else if (element instanceof HTMLInputElement && element.type === "radio") {
      if (element.checked) out[element.name] = element.value;
    } else out[element.name] = element.value;
  }
  return out;
}
