/**
 * ChatKit protocol shapes as zod schemas (threads, items, widgets' wire shape, updates and stream
 * events); every TypeScript type is inferred from its schema. They document the wire shapes and
 * can validate data in tests, but the server never parses outgoing events (hot path).
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------
// Shared primitives

export const IsoDate = z.string();
export const IconName = z.string();
export type IconName = z.infer<typeof IconName>;
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

export const SortOrder = z.enum(["asc", "desc"]);
export type SortOrder = z.infer<typeof SortOrder>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), has_more: z.boolean(), after: z.string().optional() });
export type Page<T> = { data: T[]; has_more: boolean; after?: string };

// ---------------------------------------------------------------------------------------
// Attachments

export const UploadDescriptor = z.object({
  url: z.string(),
  method: z.enum(["POST", "PUT"]),
  headers: z.record(z.string(), z.string()).default({}),
});
export type UploadDescriptor = z.infer<typeof UploadDescriptor>;

const attachmentBase = {
  id: z.string(),
  name: z.string(),
  mime_type: z.string(),
  upload_descriptor: UploadDescriptor.optional(),
  thread_id: z.string().optional(),
  /** Server-only; never serialised to clients. */
  metadata: JsonObject.optional(),
};
export const FileAttachment = z.object({ type: z.literal("file"), ...attachmentBase });
export const ImageAttachment = z.object({ type: z.literal("image"), ...attachmentBase, preview_url: z.string() });
export const Attachment = z.discriminatedUnion("type", [FileAttachment, ImageAttachment]);
export type FileAttachment = z.infer<typeof FileAttachment>;
export type ImageAttachment = z.infer<typeof ImageAttachment>;
export type Attachment = z.infer<typeof Attachment>;

// ---------------------------------------------------------------------------------------
// Threads

export const ThreadStatus = z.discriminatedUnion("type", [
  z.object({ type: z.literal("active") }),
  z.object({ type: z.literal("locked"), reason: z.string().optional() }),
  z.object({ type: z.literal("closed"), reason: z.string().optional() }),
]);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

export const ThreadMetadata = z.object({
  id: z.string(),
  title: z.string().nullish(),
  created_at: IsoDate,
  status: ThreadStatus,
  allowed_image_domains: z.array(z.string()).nullish(),
  /** Server-only state; clients always see `{}`. */
  metadata: JsonObject,
});
export type ThreadMetadata = z.infer<typeof ThreadMetadata>;

// ---------------------------------------------------------------------------------------
// Thread item content

export const InferenceOptions = z.object({
  tool_choice: z.object({ id: z.string() }).nullish(),
  model: z.string().nullish(),
});
export type InferenceOptions = z.infer<typeof InferenceOptions>;

export const UserMessageTextContent = z.object({ type: z.literal("input_text"), text: z.string() });
export const UserMessageTagContent = z.object({
  type: z.literal("input_tag"),
  id: z.string(),
  text: z.string(),
  data: JsonObject.default({}),
  group: z.string().nullish(),
  interactive: z.boolean().default(false),
});
export const UserMessageContent = z.discriminatedUnion("type", [UserMessageTextContent, UserMessageTagContent]);
export type UserMessageTextContent = z.infer<typeof UserMessageTextContent>;
export type UserMessageTagContent = z.infer<typeof UserMessageTagContent>;
export type UserMessageContent = z.infer<typeof UserMessageContent>;

const sourceBase = {
  title: z.string(),
  description: z.string().nullish(),
  timestamp: z.string().nullish(),
  group: z.string().nullish(),
};
export const UrlSource = z.object({
  type: z.literal("url"),
  ...sourceBase,
  url: z.string(),
  attribution: z.string().nullish(),
});
export const FileSource = z.object({ type: z.literal("file"), ...sourceBase, filename: z.string() });
export const EntitySource = z.object({
  type: z.literal("entity"),
  ...sourceBase,
  id: z.string(),
  icon: IconName.nullish(),
  label: z.string().nullish(),
  inline_label: z.string().nullish(),
  interactive: z.boolean().default(false),
  data: JsonObject.default({}),
  preview: z.literal("lazy").nullish(),
});
export const Source = z.discriminatedUnion("type", [UrlSource, FileSource, EntitySource]);
export type UrlSource = z.infer<typeof UrlSource>;
export type FileSource = z.infer<typeof FileSource>;
export type EntitySource = z.infer<typeof EntitySource>;
export type Source = z.infer<typeof Source>;

export const Annotation = z.object({ type: z.literal("annotation"), source: Source, index: z.int().nullish() });
export type Annotation = z.infer<typeof Annotation>;

export const AssistantMessageContent = z.object({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(Annotation).default([]),
});
export type AssistantMessageContent = z.infer<typeof AssistantMessageContent>;

// Tasks and workflows
const taskBase = {
  title: z.string().nullish(),
  status_indicator: z.enum(["none", "loading", "complete"]).default("none"),
};
export const CustomTask = z.object({
  type: z.literal("custom"),
  ...taskBase,
  icon: IconName.nullish(),
  content: z.string().nullish(),
});
export const WebSearchTask = z.object({
  type: z.literal("web_search"),
  ...taskBase,
  title_query: z.string().nullish(),
  queries: z.array(z.string()).default([]),
  sources: z.array(UrlSource).default([]),
});
export const ThoughtTask = z.object({ type: z.literal("thought"), ...taskBase, content: z.string() });
export const FileTask = z.object({ type: z.literal("file"), ...taskBase, sources: z.array(FileSource).default([]) });
export const ImageTask = z.object({ type: z.literal("image"), ...taskBase });
export const Task = z.discriminatedUnion("type", [CustomTask, WebSearchTask, ThoughtTask, FileTask, ImageTask]);
export type CustomTask = z.infer<typeof CustomTask>;
export type ThoughtTask = z.infer<typeof ThoughtTask>;
export type Task = z.infer<typeof Task>;

export const CustomSummary = z.object({ title: z.string(), icon: IconName.nullish() });
export const DurationSummary = z.object({ duration: z.int() });
export const WorkflowSummary = z.union([CustomSummary, DurationSummary]);
export type WorkflowSummary = z.infer<typeof WorkflowSummary>;

export const Workflow = z.object({
  type: z.enum(["custom", "reasoning"]),
  tasks: z.array(Task),
  summary: WorkflowSummary.nullish(),
  expanded: z.boolean().default(false),
});
export type Workflow = z.infer<typeof Workflow>;

// Structured input
export const StructuredInputAnswer = z.object({
  values: z.array(z.string()).default([]),
  skipped: z.boolean().default(false),
});
export type StructuredInputAnswer = z.infer<typeof StructuredInputAnswer>;
export const MultipleChoiceInput = z.object({
  type: z.literal("multiple_choice"),
  id: z.string(),
  question: z.string(),
  answer: StructuredInputAnswer.nullish(),
  options: z.array(z.object({ value: z.string() })),
  multiple: z.boolean().default(false),
});
export const FreeformInput = z.object({
  type: z.literal("freeform"),
  id: z.string(),
  question: z.string(),
  answer: StructuredInputAnswer.nullish(),
  description: z.string().nullish(),
});
export const StructuredInput = z.discriminatedUnion("type", [MultipleChoiceInput, FreeformInput]);
export type StructuredInput = z.infer<typeof StructuredInput>;

export const GeneratedImage = z.object({ id: z.string(), url: z.string() });
export type GeneratedImage = z.infer<typeof GeneratedImage>;

// ---------------------------------------------------------------------------------------
// Widgets (wire shape: opaque JSON trees of `{type, id?, key?, ...camelCaseProps}`)

export type WidgetNode = { type: string; id?: string; key?: string; children?: WidgetNode[]; [prop: string]: unknown };
export const WidgetNode: z.ZodType<WidgetNode> = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  key: z.string().optional(),
  get children() {
    return z.array(WidgetNode).optional();
  },
});
/** A widget root: `Card`, `ListView` or `Basic` (kept open: the client knows more components than we do). */
export const WidgetRoot = WidgetNode;
export type WidgetRoot = WidgetNode;
export type WidgetComponent = WidgetNode;

// ---------------------------------------------------------------------------------------
// Thread items

const itemBase = { id: z.string(), thread_id: z.string(), created_at: IsoDate };

export const UserMessageItem = z.object({
  ...itemBase,
  type: z.literal("user_message"),
  content: z.array(UserMessageContent),
  attachments: z.array(Attachment).default([]),
  quoted_text: z.string().nullish(),
  inference_options: InferenceOptions,
});
export const AssistantMessageItem = z.object({
  ...itemBase,
  type: z.literal("assistant_message"),
  content: z.array(AssistantMessageContent),
});
export const ClientToolCallItem = z.object({
  ...itemBase,
  type: z.literal("client_tool_call"),
  status: z.enum(["pending", "completed"]).default("pending"),
  call_id: z.string(),
  name: z.string(),
  arguments: JsonObject,
  output: z.unknown().optional(),
});
export const WidgetItem = z.object({
  ...itemBase,
  type: z.literal("widget"),
  widget: WidgetRoot,
  copy_text: z.string().nullish(),
});
export const GeneratedImageItem = z.object({
  ...itemBase,
  type: z.literal("generated_image"),
  image: GeneratedImage.nullish(),
});
export const StructuredInputItem = z.object({
  ...itemBase,
  type: z.literal("structured_input"),
  status: z.enum(["pending", "answered", "skipped"]).default("pending"),
  inputs: z.array(StructuredInput),
});
export const WorkflowItem = z.object({ ...itemBase, type: z.literal("workflow"), workflow: Workflow });
export const TaskItem = z.object({ ...itemBase, type: z.literal("task"), task: Task });
export const EndOfTurnItem = z.object({ ...itemBase, type: z.literal("end_of_turn") });
export const HiddenContextItem = z.object({
  ...itemBase,
  type: z.literal("hidden_context_item"),
  content: z.unknown(),
});
export const SDKHiddenContextItem = z.object({
  ...itemBase,
  type: z.literal("sdk_hidden_context"),
  content: z.string(),
});

export const ThreadItem = z.discriminatedUnion("type", [
  UserMessageItem,
  AssistantMessageItem,
  ClientToolCallItem,
  WidgetItem,
  GeneratedImageItem,
  StructuredInputItem,
  WorkflowItem,
  TaskItem,
  EndOfTurnItem,
  HiddenContextItem,
  SDKHiddenContextItem,
]);
export type UserMessageItem = z.infer<typeof UserMessageItem>;
export type AssistantMessageItem = z.infer<typeof AssistantMessageItem>;
export type ClientToolCallItem = z.infer<typeof ClientToolCallItem>;
export type WidgetItem = z.infer<typeof WidgetItem>;
export type GeneratedImageItem = z.infer<typeof GeneratedImageItem>;
export type StructuredInputItem = z.infer<typeof StructuredInputItem>;
export type WorkflowItem = z.infer<typeof WorkflowItem>;
export type TaskItem = z.infer<typeof TaskItem>;
export type EndOfTurnItem = z.infer<typeof EndOfTurnItem>;
export type HiddenContextItem = z.infer<typeof HiddenContextItem>;
export type SDKHiddenContextItem = z.infer<typeof SDKHiddenContextItem>;
export type ThreadItem = z.infer<typeof ThreadItem>;
export type ThreadItemType = ThreadItem["type"];

export const Thread = ThreadMetadata.extend({ items: pageSchema(ThreadItem) });
export type Thread = z.infer<typeof Thread>;

// ---------------------------------------------------------------------------------------
// Item updates and stream events

export const ThreadItemUpdate = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("assistant_message.content_part.added"),
    content_index: z.int(),
    content: AssistantMessageContent,
  }),
  z.object({ type: z.literal("assistant_message.content_part.text_delta"), content_index: z.int(), delta: z.string() }),
  z.object({
    type: z.literal("assistant_message.content_part.annotation_added"),
    content_index: z.int(),
    annotation_index: z.int(),
    annotation: Annotation,
  }),
  z.object({
    type: z.literal("assistant_message.content_part.done"),
    content_index: z.int(),
    content: AssistantMessageContent,
  }),
  z.object({
    type: z.literal("widget.streaming_text.value_delta"),
    component_id: z.string(),
    delta: z.string(),
    done: z.boolean(),
  }),
  z.object({ type: z.literal("widget.component.updated"), component_id: z.string(), component: WidgetNode }),
  z.object({ type: z.literal("widget.root.updated"), widget: WidgetRoot }),
  z.object({ type: z.literal("workflow.task.added"), task_index: z.int(), task: Task }),
  z.object({ type: z.literal("workflow.task.updated"), task_index: z.int(), task: Task }),
  z.object({ type: z.literal("generated_image.updated"), image: GeneratedImage, progress: z.number().nullish() }),
]);
export type ThreadItemUpdate = z.infer<typeof ThreadItemUpdate>;

export const StreamOptions = z.object({ allow_cancel: z.boolean() });
export type StreamOptions = z.infer<typeof StreamOptions>;

export const ErrorCode = z.union([z.literal("stream.error"), z.literal("custom"), z.string()]);

export const ThreadStreamEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("thread.created"), thread: Thread }),
  z.object({ type: z.literal("thread.updated"), thread: Thread }),
  z.object({ type: z.literal("thread.item.added"), item: ThreadItem }),
  z.object({ type: z.literal("thread.item.updated"), item_id: z.string(), update: ThreadItemUpdate }),
  z.object({ type: z.literal("thread.item.done"), item: ThreadItem }),
  z.object({ type: z.literal("thread.item.removed"), item_id: z.string() }),
  z.object({ type: z.literal("thread.item.replaced"), item: ThreadItem }),
  z.object({ type: z.literal("stream_options"), stream_options: StreamOptions }),
  z.object({ type: z.literal("progress_update"), icon: IconName.nullish(), text: z.string() }),
  z.object({ type: z.literal("client_effect"), name: z.string(), data: JsonObject.default({}) }),
  z.object({
    type: z.literal("error"),
    code: ErrorCode.default("custom"),
    message: z.string().nullish(),
    allow_retry: z.boolean().default(false),
  }),
  z.object({
    type: z.literal("notice"),
    level: z.enum(["info", "warning", "danger"]),
    message: z.string(),
    title: z.string().nullish(),
  }),
]);
export type ThreadStreamEvent = z.infer<typeof ThreadStreamEvent>;
/** Events as a producer may write them: defaulted fields may be left out. */
export type ThreadStreamEventInput = z.input<typeof ThreadStreamEvent>;
export type ThreadStreamEventType = ThreadStreamEvent["type"];

/** Kinds of id a store generates. */
export type StoreItemType =
  "thread" | "message" | "tool_call" | "task" | "workflow" | "attachment" | "sdk_hidden_context";
