/**
 * ChatKit request bodies as zod schemas: every request type the server accepts, parsed on the way
 * in (the one place the protocol is validated at run time), and the two JSON answers' shapes.
 */
import { z } from "zod";
import {
  InferenceOptions,
  JsonObject,
  SortOrder,
  StructuredInputAnswer,
  ThreadItem,
  UserMessageContent,
} from "./thread-types";

// ---------------------------------------------------------------------------------------
// Requests

export const UserMessageInput = z.object({
  content: z.array(UserMessageContent),
  attachments: z.array(z.string()).default([]),
  quoted_text: z.string().nullish(),
  inference_options: InferenceOptions.default({}),
});
export type UserMessageInput = z.infer<typeof UserMessageInput>;

export const Action = z.object({ type: z.string(), payload: z.unknown().optional() });
export type Action = z.infer<typeof Action>;

export const StructuredInputSubmission = z.object({
  status: z.enum(["answered", "skipped"]).default("answered"),
  answers: z.record(z.string(), StructuredInputAnswer).default({}),
});
export type StructuredInputSubmission = z.infer<typeof StructuredInputSubmission>;

const Limit = z.int().min(0).max(1000).nullish();
const Cursor = z.string().nullish();

const req = <T extends string, P extends z.ZodType>(type: T, params: P) =>
  z.object({ type: z.literal(type), params, metadata: JsonObject.nullish() });

export const ThreadsCreateReq = req("threads.create", z.object({ input: UserMessageInput }));
export const ThreadsAddUserMessageReq = req(
  "threads.add_user_message",
  z.object({ thread_id: z.string(), input: UserMessageInput }),
);
export const ThreadsAddClientToolOutputReq = req(
  "threads.add_client_tool_output",
  // `result` is any JSON value; it must be present (null allowed).
  z
    .object({ thread_id: z.string(), result: z.unknown() })
    .refine((p) => "result" in p, { message: "result is required", path: ["result"] }),
);
export const ThreadsAddStructuredInputReq = req(
  "threads.add_structured_input",
  z.object({ thread_id: z.string(), item_id: z.string(), input: StructuredInputSubmission }),
);
export const ThreadsRetryAfterItemReq = req(
  "threads.retry_after_item",
  z.object({ thread_id: z.string(), item_id: z.string() }),
);
const CustomActionParams = z.object({ thread_id: z.string(), item_id: z.string().nullish(), action: Action });
export const ThreadsCustomActionReq = req("threads.custom_action", CustomActionParams);
export const ThreadsSyncCustomActionReq = req("threads.sync_custom_action", CustomActionParams);
export const ThreadsGetByIdReq = req("threads.get_by_id", z.object({ thread_id: z.string() }));
export const ThreadsListReq = req(
  "threads.list",
  z.object({ limit: Limit, order: SortOrder.default("desc"), after: Cursor }),
);
export const ThreadsUpdateReq = req("threads.update", z.object({ thread_id: z.string(), title: z.string() }));
export const ThreadsDeleteReq = req("threads.delete", z.object({ thread_id: z.string() }));
export const ItemsListReq = req(
  "items.list",
  z.object({ thread_id: z.string(), limit: Limit, order: SortOrder.default("desc"), after: Cursor }),
);
export const ItemsFeedbackReq = req(
  "items.feedback",
  z.object({ thread_id: z.string(), item_ids: z.array(z.string()), kind: z.enum(["positive", "negative"]) }),
);
export const AttachmentsCreateReq = req(
  "attachments.create",
  z.object({ name: z.string(), size: z.int().min(0), mime_type: z.string() }),
);
export const AttachmentsDeleteReq = req("attachments.delete", z.object({ attachment_id: z.string() }));
export const InputTranscribeReq = req(
  "input.transcribe",
  z.object({ audio_base64: z.base64(), mime_type: z.string() }),
);

export const STREAMING_REQUEST_TYPES = [
  "threads.create",
  "threads.add_user_message",
  "threads.add_client_tool_output",
  "threads.add_structured_input",
  "threads.retry_after_item",
  "threads.custom_action",
] as const;
export const NON_STREAMING_REQUEST_TYPES = [
  "threads.get_by_id",
  "threads.list",
  "threads.update",
  "threads.delete",
  "threads.sync_custom_action",
  "items.list",
  "items.feedback",
  "attachments.create",
  "attachments.delete",
  "input.transcribe",
] as const;

export const StreamingReq = z.discriminatedUnion("type", [
  ThreadsCreateReq,
  ThreadsAddUserMessageReq,
  ThreadsAddClientToolOutputReq,
  ThreadsAddStructuredInputReq,
  ThreadsRetryAfterItemReq,
  ThreadsCustomActionReq,
]);
export const NonStreamingReq = z.discriminatedUnion("type", [
  ThreadsGetByIdReq,
  ThreadsListReq,
  ThreadsUpdateReq,
  ThreadsDeleteReq,
  ThreadsSyncCustomActionReq,
  ItemsListReq,
  ItemsFeedbackReq,
  AttachmentsCreateReq,
  AttachmentsDeleteReq,
  InputTranscribeReq,
]);
export const ChatKitReq = z.discriminatedUnion("type", [
  ThreadsCreateReq,
  ThreadsAddUserMessageReq,
  ThreadsAddClientToolOutputReq,
  ThreadsAddStructuredInputReq,
  ThreadsRetryAfterItemReq,
  ThreadsCustomActionReq,
  ThreadsGetByIdReq,
  ThreadsListReq,
  ThreadsUpdateReq,
  ThreadsDeleteReq,
  ThreadsSyncCustomActionReq,
  ItemsListReq,
  ItemsFeedbackReq,
  AttachmentsCreateReq,
  AttachmentsDeleteReq,
  InputTranscribeReq,
]);
export type StreamingReq = z.infer<typeof StreamingReq>;
export type NonStreamingReq = z.infer<typeof NonStreamingReq>;
export type ChatKitReq = z.infer<typeof ChatKitReq>;
export type ChatKitRequestType = ChatKitReq["type"];

export const SyncCustomActionResponse = z.object({ updated_item: ThreadItem.nullish() });
export type SyncCustomActionResponse = z.infer<typeof SyncCustomActionResponse>;
export const TranscriptionResult = z.object({ text: z.string() });
export type TranscriptionResult = z.infer<typeof TranscriptionResult>;
export type FeedbackKind = "positive" | "negative";
export type AttachmentCreateParams = z.infer<typeof AttachmentsCreateReq>["params"];
