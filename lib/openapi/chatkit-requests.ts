/**
 * The ChatKit request components, apart from ./components.ts: the operations registry needs them
 * and must stay light (proxy.ts reads it on every API request; see ./allowed-methods.ts), so it
 * takes them from here, which imports nothing but the protocol's schemas.
 */
import * as chatkit from "@/lib/chatkit/types";

/** One ChatKit request type per component, named after its `type` (`threads.create` → `ThreadsCreateRequest`). */
export const CHATKIT_REQUESTS = {
  ThreadsCreateRequest: chatkit.ThreadsCreateReq,
  ThreadsAddUserMessageRequest: chatkit.ThreadsAddUserMessageReq,
  ThreadsAddClientToolOutputRequest: chatkit.ThreadsAddClientToolOutputReq,
  ThreadsAddStructuredInputRequest: chatkit.ThreadsAddStructuredInputReq,
  ThreadsRetryAfterItemRequest: chatkit.ThreadsRetryAfterItemReq,
  ThreadsCustomActionRequest: chatkit.ThreadsCustomActionReq,
  ThreadsGetByIdRequest: chatkit.ThreadsGetByIdReq,
  ThreadsListRequest: chatkit.ThreadsListReq,
  ThreadsUpdateRequest: chatkit.ThreadsUpdateReq,
  ThreadsDeleteRequest: chatkit.ThreadsDeleteReq,
  ThreadsSyncCustomActionRequest: chatkit.ThreadsSyncCustomActionReq,
  ItemsListRequest: chatkit.ItemsListReq,
  ItemsFeedbackRequest: chatkit.ItemsFeedbackReq,
  AttachmentsCreateRequest: chatkit.AttachmentsCreateReq,
  AttachmentsDeleteRequest: chatkit.AttachmentsDeleteReq,
  InputTranscribeRequest: chatkit.InputTranscribeReq,
} as const;
