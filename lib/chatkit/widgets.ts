/**
 * Widgets (PROTOCOL.md §7): zod schemas for the components we build and typed builders that
 * serialise exactly like the reference (camelCase props, unset props omitted, ActionConfig
 * defaults written). The diff and the streaming helpers live in `widget-stream.ts`.
 */
import { z } from "zod";
import type { WidgetNode, WidgetRoot } from "./types";

// ---------------------------------------------------------------------------------------
// Schemas

const Color = z.union([z.string(), z.object({ light: z.string(), dark: z.string() })]);
const Spacing = z.union([
  z.number(),
  z.string(),
  z
    .object({
      top: z.unknown(),
      right: z.unknown(),
      bottom: z.unknown(),
      left: z.unknown(),
      x: z.unknown(),
      y: z.unknown(),
    })
    .partial(),
]);
const Border = z.union([z.number(), z.record(z.string(), z.unknown())]);
const Radius = z.string();
const Size = z.union([z.number(), z.string()]);

export const ActionConfigSchema = z.object({
  type: z.string(),
  payload: z.unknown().optional(),
  handler: z.enum(["server", "client"]).default("server"),
  loadingBehavior: z.enum(["auto", "none", "self", "container"]).default("auto"),
  streaming: z.boolean().default(true),
});
export type ActionConfig = z.infer<typeof ActionConfigSchema>;
export type ActionConfigInput = z.input<typeof ActionConfigSchema>;

export const WidgetStatusSchema = z.union([
  z.object({ text: z.string(), favicon: z.string().optional(), frame: z.boolean().optional() }),
  z.object({ text: z.string(), icon: z.string().optional() }),
]);
export const CardActionSchema = z.object({ label: z.string(), action: ActionConfigSchema });

const base = { id: z.string().optional(), key: z.string().optional() };
const blockSizing = {
  height: Size.optional(),
  width: Size.optional(),
  size: Size.optional(),
  minHeight: Size.optional(),
  minWidth: Size.optional(),
  minSize: Size.optional(),
  maxHeight: Size.optional(),
  maxWidth: Size.optional(),
  maxSize: Size.optional(),
};
const Children = z.array(z.custom<WidgetNode>());
const boxProps = {
  ...base,
  children: Children.optional(),
  align: z.enum(["start", "center", "end", "baseline", "stretch"]).optional(),
  justify: z.enum(["start", "center", "end", "between", "around", "evenly", "stretch"]).optional(),
  wrap: z.enum(["nowrap", "wrap", "wrap-reverse"]).optional(),
  flex: z.union([z.number(), z.string()]).optional(),
  gap: Size.optional(),
  ...blockSizing,
  padding: Spacing.optional(),
  margin: Spacing.optional(),
  border: Border.optional(),
  radius: Radius.optional(),
  background: Color.optional(),
  aspectRatio: z.union([z.number(), z.string()]).optional(),
};
const textAlign = z.enum(["start", "center", "end"]).optional();
const weight = z.enum(["normal", "medium", "semibold", "bold"]).optional();

export const CardSchema = z.object({
  type: z.literal("Card"),
  ...base,
  children: Children,
  asForm: z.boolean().optional(),
  background: Color.optional(),
  border: Border.optional(),
  size: z.enum(["sm", "md", "lg", "full"]).optional(),
  padding: Spacing.optional(),
  status: WidgetStatusSchema.optional(),
  collapsed: z.boolean().optional(),
  confirm: CardActionSchema.optional(),
  cancel: CardActionSchema.optional(),
  theme: z.enum(["light", "dark"]).optional(),
});
export const ListViewSchema = z.object({
  type: z.literal("ListView"),
  ...base,
  children: Children,
  limit: z.union([z.int(), z.literal("auto")]).optional(),
  status: WidgetStatusSchema.optional(),
  theme: z.enum(["light", "dark"]).optional(),
});
export const BasicSchema = z.object({
  type: z.literal("Basic"),
  ...base,
  children: Children,
  direction: z.enum(["row", "col"]).optional(),
  gap: Size.optional(),
  padding: Spacing.optional(),
  align: z.string().optional(),
  justify: z.string().optional(),
  theme: z.enum(["light", "dark"]).optional(),
});
export const TextSchema = z.object({
  type: z.literal("Text"),
  ...base,
  value: z.string(),
  streaming: z.boolean().optional(),
  italic: z.boolean().optional(),
  lineThrough: z.boolean().optional(),
  color: Color.optional(),
  weight,
  width: Size.optional(),
  size: z.enum(["xs", "sm", "md", "lg", "xl"]).optional(),
  textAlign,
  truncate: z.boolean().optional(),
  minLines: z.int().optional(),
  maxLines: z.int().optional(),
  editable: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
});
export const TitleSchema = z.object({
  type: z.literal("Title"),
  ...base,
  value: z.string(),
  color: Color.optional(),
  weight,
  size: z.string().optional(),
  textAlign,
  truncate: z.boolean().optional(),
  maxLines: z.int().optional(),
});
export const CaptionSchema = z.object({
  type: z.literal("Caption"),
  ...base,
  value: z.string(),
  color: Color.optional(),
  weight,
  size: z.enum(["sm", "md", "lg"]).optional(),
  textAlign,
  truncate: z.boolean().optional(),
  maxLines: z.int().optional(),
});
export const MarkdownSchema = z.object({
  type: z.literal("Markdown"),
  ...base,
  value: z.string(),
  streaming: z.boolean().optional(),
});
export const BadgeSchema = z.object({
  type: z.literal("Badge"),
  ...base,
  label: z.string(),
  color: z.enum(["secondary", "success", "danger", "warning", "info", "discovery"]).optional(),
  variant: z.enum(["solid", "soft", "outline"]).optional(),
  size: z.enum(["sm", "md", "lg"]).optional(),
  pill: z.boolean().optional(),
});
export const BoxSchema = z.object({
  type: z.literal("Box"),
  ...boxProps,
  direction: z.enum(["row", "col"]).optional(),
});
export const RowSchema = z.object({ type: z.literal("Row"), ...boxProps });
export const ColSchema = z.object({ type: z.literal("Col"), ...boxProps });
export const FormSchema = z.object({
  type: z.literal("Form"),
  ...boxProps,
  onSubmitAction: ActionConfigSchema.optional(),
  direction: z.enum(["row", "col"]).optional(),
});
export const DividerSchema = z.object({
  type: z.literal("Divider"),
  ...base,
  color: Color.optional(),
  size: Size.optional(),
  spacing: Size.optional(),
  flush: z.boolean().optional(),
});
export const IconSchema = z.object({
  type: z.literal("Icon"),
  ...base,
  name: z.string(),
  color: Color.optional(),
  size: z.string().optional(),
});
export const ImageSchema = z.object({
  type: z.literal("Image"),
  ...base,
  src: z.string(),
  alt: z.string().optional(),
  fit: z.enum(["cover", "contain", "fill", "scale-down", "none"]).optional(),
  position: z.string().optional(),
  radius: Radius.optional(),
  frame: z.boolean().optional(),
  flush: z.boolean().optional(),
  ...blockSizing,
  margin: Spacing.optional(),
  background: Color.optional(),
  aspectRatio: z.union([z.number(), z.string()]).optional(),
  flex: z.union([z.number(), z.string()]).optional(),
});
export const ButtonSchema = z.object({
  type: z.literal("Button"),
  ...base,
  label: z.string().optional(),
  onClickAction: ActionConfigSchema.optional(),
  submit: z.boolean().optional(),
  iconStart: z.string().optional(),
  iconEnd: z.string().optional(),
  style: z.enum(["primary", "secondary"]).optional(),
  iconSize: z.string().optional(),
  color: z.enum(["primary", "secondary", "info", "discovery", "success", "caution", "warning", "danger"]).optional(),
  variant: z.enum(["solid", "soft", "outline", "ghost"]).optional(),
  size: z.string().optional(),
  pill: z.boolean().optional(),
  uniform: z.boolean().optional(),
  block: z.boolean().optional(),
  disabled: z.boolean().optional(),
});
export const SpacerSchema = z.object({ type: z.literal("Spacer"), ...base, minSize: Size.optional() });
export const ListViewItemSchema = z.object({
  type: z.literal("ListViewItem"),
  ...base,
  children: Children,
  onClickAction: ActionConfigSchema.optional(),
  gap: Size.optional(),
  align: z.enum(["start", "center", "end", "baseline", "stretch"]).optional(),
});
const fieldBase = { ...base, name: z.string(), disabled: z.boolean().optional() };
export const SelectSchema = z.object({
  type: z.literal("Select"),
  ...fieldBase,
  options: z.array(
    z.object({
      value: z.string(),
      label: z.string(),
      disabled: z.boolean().optional(),
      description: z.string().optional(),
    }),
  ),
  onChangeAction: ActionConfigSchema.optional(),
  placeholder: z.string().optional(),
  defaultValue: z.string().optional(),
  variant: z.string().optional(),
  size: z.string().optional(),
  pill: z.boolean().optional(),
  block: z.boolean().optional(),
  clearable: z.boolean().optional(),
  searchable: z.boolean().optional(),
});
export const DatePickerSchema = z.object({
  type: z.literal("DatePicker"),
  ...fieldBase,
  onChangeAction: ActionConfigSchema.optional(),
  placeholder: z.string().optional(),
  defaultValue: z.string().optional(),
  min: z.string().optional(),
  max: z.string().optional(),
  variant: z.string().optional(),
  size: z.string().optional(),
  side: z.string().optional(),
  align: z.string().optional(),
  pill: z.boolean().optional(),
  block: z.boolean().optional(),
  clearable: z.boolean().optional(),
});
export const CheckboxSchema = z.object({
  type: z.literal("Checkbox"),
  ...fieldBase,
  label: z.string().optional(),
  defaultChecked: z.boolean().optional(),
  onChangeAction: ActionConfigSchema.optional(),
  required: z.boolean().optional(),
});
export const RadioGroupSchema = z.object({
  type: z.literal("RadioGroup"),
  ...fieldBase,
  options: z.array(z.object({ label: z.string(), value: z.string(), disabled: z.boolean().optional() })).optional(),
  ariaLabel: z.string().optional(),
  onChangeAction: ActionConfigSchema.optional(),
  defaultValue: z.string().optional(),
  direction: z.enum(["row", "col"]).optional(),
  required: z.boolean().optional(),
});
const inputCommon = {
  ...fieldBase,
  defaultValue: z.string().optional(),
  required: z.boolean().optional(),
  pattern: z.string().optional(),
  placeholder: z.string().optional(),
  allowAutofillExtensions: z.boolean().optional(),
  autoSelect: z.boolean().optional(),
  autoFocus: z.boolean().optional(),
  variant: z.enum(["soft", "outline"]).optional(),
  size: z.string().optional(),
  gutterSize: z.string().optional(),
};
export const InputSchema = z.object({
  type: z.literal("Input"),
  ...inputCommon,
  inputType: z.enum(["number", "email", "text", "password", "tel", "url"]).optional(),
  pill: z.boolean().optional(),
});
export const TextareaSchema = z.object({
  type: z.literal("Textarea"),
  ...inputCommon,
  rows: z.int().optional(),
  autoResize: z.boolean().optional(),
  maxRows: z.int().optional(),
});
export const LabelSchema = z.object({
  type: z.literal("Label"),
  ...base,
  value: z.string(),
  fieldName: z.string(),
  size: z.string().optional(),
  weight,
  textAlign,
  color: Color.optional(),
});
export const TransitionSchema = z.object({
  type: z.literal("Transition"),
  ...base,
  children: z.custom<WidgetNode>().optional(),
});

export type CardProps = Omit<z.input<typeof CardSchema>, "type" | "children"> & { children?: WidgetNode[] };
type P<S extends z.ZodType> = Omit<z.input<S>, "type">;
type WithKids<S extends z.ZodType> = Omit<z.input<S>, "type" | "children"> & { children?: WidgetNode[] };

// ---------------------------------------------------------------------------------------
// Builders

const ACTION_KEY = /^on[A-Z]\w*Action$/;

/** ActionConfig with the defaults the reference always writes. */
export function actionConfig(input: ActionConfigInput): ActionConfig & Record<string, unknown> {
  const out: Record<string, unknown> = { type: input.type };
  if (input.payload != null) out.payload = input.payload;
  out.handler = input.handler ?? "server";
  out.loadingBehavior = input.loadingBehavior ?? "auto";
  out.streaming = input.streaming ?? true;
  return out as ActionConfig;
}

function node(type: string, props: Record<string, unknown>, containerDefault: boolean): WidgetNode {
  const out: WidgetNode = { type };
  for (const k in props) {
    const v = props[k];
    if (v == null) continue;
    if (ACTION_KEY.test(k)) out[k] = actionConfig(v as ActionConfigInput);
    else if ((k === "confirm" || k === "cancel") && typeof v === "object") {
      const ca = v as { label: string; action: ActionConfigInput };
      out[k] = { label: ca.label, action: actionConfig(ca.action) };
    } else out[k] = v;
  }
  if (containerDefault && out.children === undefined) out.children = [];
  return out;
}

export const Card = (props: CardProps): WidgetRoot => node("Card", props, true);
export const ListView = (props: WithKids<typeof ListViewSchema>): WidgetRoot => node("ListView", props, true);
export const Basic = (props: WithKids<typeof BasicSchema>): WidgetRoot => node("Basic", props, true);
export const ListViewItem = (props: WithKids<typeof ListViewItemSchema>): WidgetNode =>
  node("ListViewItem", props, true);
export const Box = (props: WithKids<typeof BoxSchema>): WidgetNode => node("Box", props, true);
export const Row = (props: WithKids<typeof RowSchema>): WidgetNode => node("Row", props, true);
export const Col = (props: WithKids<typeof ColSchema>): WidgetNode => node("Col", props, true);
export const Form = (props: WithKids<typeof FormSchema>): WidgetNode => node("Form", props, true);
export const Text = (props: P<typeof TextSchema>): WidgetNode => node("Text", props, false);
export const Title = (props: P<typeof TitleSchema>): WidgetNode => node("Title", props, false);
export const Caption = (props: P<typeof CaptionSchema>): WidgetNode => node("Caption", props, false);
export const Markdown = (props: P<typeof MarkdownSchema>): WidgetNode => node("Markdown", props, false);
export const Badge = (props: P<typeof BadgeSchema>): WidgetNode => node("Badge", props, false);
export const Divider = (props: P<typeof DividerSchema> = {}): WidgetNode => node("Divider", props, false);
export const Icon = (props: P<typeof IconSchema>): WidgetNode => node("Icon", props, false);
export const Image = (props: P<typeof ImageSchema>): WidgetNode => node("Image", props, false);
export const Button = (props: P<typeof ButtonSchema>): WidgetNode => node("Button", props, false);
export const Spacer = (props: P<typeof SpacerSchema> = {}): WidgetNode => node("Spacer", props, false);
export const Select = (props: P<typeof SelectSchema>): WidgetNode => node("Select", props, false);
export const DatePicker = (props: P<typeof DatePickerSchema>): WidgetNode => node("DatePicker", props, false);
export const Checkbox = (props: P<typeof CheckboxSchema>): WidgetNode => node("Checkbox", props, false);
export const RadioGroup = (props: P<typeof RadioGroupSchema>): WidgetNode => node("RadioGroup", props, false);
export const Input = (props: P<typeof InputSchema>): WidgetNode => node("Input", props, false);
export const Textarea = (props: P<typeof TextareaSchema>): WidgetNode => node("Textarea", props, false);
export const Label = (props: P<typeof LabelSchema>): WidgetNode => node("Label", props, false);
export const Transition = (props: P<typeof TransitionSchema>): WidgetNode => node("Transition", props, false);

export { diffWidget, streamWidget, accumulateText, type StreamWidgetOptions } from "./widget-stream";
export type { WidgetComponent, WidgetNode, WidgetRoot } from "./types";
