/** ChatKit: the protocol endpoint, attachment uploads and hosted-workflow sessions. */
import { NON_STREAMING_REQUEST_TYPES, STREAMING_REQUEST_TYPES } from "@/lib/chatkit/types";
import { CHATKIT_BODY_LIMIT, DEFAULT_ATTACHMENT_MAX_BYTES, SESSION_BODY_LIMIT } from "@/lib/http/body-limits";
import {
  DEFAULT_HISTORY_MAX_CHARS,
  DEFAULT_MESSAGE_MAX_CHARS,
  DEFAULT_MODEL_TURNS,
  DEFAULT_TITLE_MAX_CHARS,
  DEFAULT_UPLOADS,
} from "@/lib/http/model-limits";
import { CHATKIT_REQUESTS } from "../chatkit-requests";
import type { ResponseSchemaName } from "../components";
import { failure, json, pathParam, requestExample, responseExample, type Answer, type Operation } from "../spec";
import { authed, invalidJson, jsonBody, ok, rateLimited, tooLarge, USER_ID } from "./shared";

const hostedSession = responseExample("HostedSession", {
  client_secret: "ek_68df5c_secret",
  session_id: "cksess_68df5c",
  expires_at: 1795253400,
  status: "active",
  user: USER_ID,
  max_requests_per_1_minute: 10,
});

/** What each non-streaming ChatKit request type answers with. */
const CHATKIT_JSON_ANSWERS: Record<(typeof NON_STREAMING_REQUEST_TYPES)[number], ResponseSchemaName> = {
  "threads.get_by_id": "Thread",
  "threads.list": "ThreadPage",
  "threads.update": "Thread",
  "threads.delete": "Empty",
  "threads.sync_custom_action": "SyncCustomActionResponse",
  "items.list": "ThreadItemPage",
  "items.feedback": "Empty",
  "attachments.create": "Attachment",
  "attachments.delete": "Empty",
  "input.transcribe": "TranscriptionResult",
};

const STREAMING = new Set<string>(STREAMING_REQUEST_TYPES);

/** One row per ChatKit request type: its request component and how it is answered. */
export const CHATKIT_VARIANTS = Object.entries(CHATKIT_REQUESTS).map(([component, schema]) => {
  const type = schema.shape.type.value;
  const streaming = STREAMING.has(type);
  return {
    type,
    streaming,
    request: `#/components/schemas/${component}`,
    response: streaming
      ? "#/components/schemas/ThreadStreamEvent"
      : `#/components/schemas/${CHATKIT_JSON_ANSWERS[type as keyof typeof CHATKIT_JSON_ANSWERS]}`,
  };
});

const sessionDescription = (what: string) =>
  `${what} The workflow is WORKFLOW_ID unless the body names another workflow the caller holds an active ` +
  "micro-agent subscription for; its state variables are the body's merged with the server's `user_id` and " +
  "`vector_store_id` (the caller's memory store, created on first use); the server's values win. " +
  "Session and refresh share one per-user rate limit (30 a minute).";

export const CHATKIT_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/assistant",
    tag: "ChatKit",
    operationId: "assistantStatus",
    summary: "Whether the assistant has a model",
    description:
      "`configured` is true when the server has `OPENAI_API_KEY`; otherwise `detail` is what the chat says instead " +
      "of answering, naming what to set. For clients that need to know before sending a turn (a test run against " +
      "a preview deployment skips the model's tests on `false`). No secret is in the answer. Never cached.",
    auth: "none",
    responses: {
      "200": {
        description: 'The assistant\'s state: `{"configured": true}`, or as in the example.',
        content: json(
          responseExample("AssistantStatus", {
            configured: false,
            detail:
              "The assistant is not configured yet: set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and OPENAI_MODEL) on the server, then try again.",
          }),
        ),
      },
      "503": failure(
        "The server's configuration is invalid as a whole (as on every route); the detail names the variable.",
        {
          detail: "JWT_SECRET is not set. Set JWT_SECRET to a long random string before starting in production.",
          code: "misconfigured",
        },
      ),
    },
  },
  {
    method: "post",
    path: "/chatkit",
    tag: "ChatKit",
    operationId: "chatkit",
    summary: "ChatKit protocol endpoint",
    description:
      "One endpoint for the whole ChatKit custom-backend protocol: the body's `type` selects the request. " +
      `Streaming types (${STREAMING_REQUEST_TYPES.map((t) => `\`${t}\``).join(", ")}) answer \`200 text/event-stream\`: ` +
      "one `data: <ThreadStreamEvent JSON>` frame per event, each followed by a blank line, until the turn ends. " +
      "Other types answer JSON. Input errors are answered as JSON before any stream opens; a failure after the " +
      "stream has opened arrives as an `error` event. Threads, items and attachments belong to the caller: " +
      "another user's ids are not found.\n\n" +
      `**Bounds.** One user message may carry at most ${DEFAULT_MESSAGE_MAX_CHARS} characters of text ` +
      "(its text and tag parts and quoted text together; `CHAT_MESSAGE_MAX_CHARS`), and a title set with " +
      `\`threads.update\` at most ${DEFAULT_TITLE_MAX_CHARS} (\`CHAT_TITLE_MAX_CHARS\`): longer is refused with 422 ` +
      "before any stream opens. The conversation sent to the model is trimmed to its newest items within " +
      `${DEFAULT_HISTORY_MAX_CHARS} characters (\`CHAT_HISTORY_MAX_CHARS\`). Each user has at most ` +
      `${DEFAULT_MODEL_TURNS.perMinute} model turns a minute and ${DEFAULT_MODEL_TURNS.perDay} a day ` +
      "(`MODEL_TURNS_PER_MINUTE`, `MODEL_TURNS_PER_DAY`); a turn past either ends the stream with an `error` event " +
      "saying so (`allow_retry` true for the per-minute rate).",
    auth: "user",
    requestBody: {
      required: true,
      content: json(
        requestExample("ChatKitRequest", {
          type: "threads.create",
          params: { input: { content: [{ type: "input_text", text: "My sister is called Ada." }] } },
        }),
      ),
    },
    responses: {
      "200": {
        description:
          "Streaming request types: server-sent events. Non-streaming types: the JSON answer listed for the type " +
          "in the request-type table.",
        content: {
          "text/event-stream": {
            schema: {
              type: "string",
              description: "`data: <ThreadStreamEvent JSON>\\n\\n` frames; each JSON value is a ThreadStreamEvent.",
              "x-event-schema": { $ref: "#/components/schemas/ThreadStreamEvent" },
            },
            example:
              'data: {"type":"thread.created","thread":{"id":"thr_5e1f","created_at":"2026-11-26T09:30:00.000Z","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}\n\n' +
              'data: {"type":"thread.item.updated","item_id":"msg_9a2c","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Nice to"}}\n\n',
          },
          "application/json": {
            schema: {
              oneOf: [...new Set(Object.values(CHATKIT_JSON_ANSWERS))].map((name) => ({
                $ref: `#/components/schemas/${name}`,
              })),
            },
            example: { data: [], has_more: false },
          },
        },
      },
      "400": invalidJson,
      ...authed,
      "404": failure("A thread, item or attachment that does not exist for this user.", {
        detail: "Thread thr_5e1f not found",
        code: "not_found",
      }),
      "409": failure(
        "The thread's state does not allow the request.",
        { detail: "The last thread item is not a pending client tool call.", code: "no_pending_tool_call" },
        { detail: "Item msg_9a2c is not a widget.", code: "not_a_widget" },
      ),
      "413": tooLarge(CHATKIT_BODY_LIMIT),
      "422": failure(
        "Not an object, an unknown `type`, or `params` that do not match the type's schema.",
        {
          detail: "Unknown request type: threads.nope.",
          code: "unknown_request_type",
          issues: [{ path: "type", message: "Unknown request type" }],
        },
        {
          detail: "Invalid threads.update request: params.title: Invalid input: expected string, received undefined.",
          code: "validation_error",
          issues: [{ path: "params.title", message: "Invalid input: expected string, received undefined" }],
        },
        {
          detail: `The message is too long: 40000 characters, at most ${DEFAULT_MESSAGE_MAX_CHARS}.`,
          code: "message_too_long",
          issues: [
            {
              path: "params.input.content",
              message: `The message is too long: 40000 characters, at most ${DEFAULT_MESSAGE_MAX_CHARS}.`,
            },
          ],
        },
        {
          detail: `The title is too long: at most ${DEFAULT_TITLE_MAX_CHARS} characters.`,
          code: "title_too_long",
          issues: [
            { path: "params.title", message: `The title is too long: at most ${DEFAULT_TITLE_MAX_CHARS} characters.` },
          ],
        },
      ),
      "501": failure("A hook this server does not implement.", {
        detail: "Transcription is not supported.",
        code: "not_implemented",
      }),
    },
    extensions: { "x-chatkit-request-types": CHATKIT_VARIANTS },
  },
  {
    method: "post",
    path: "/chatkit/attachments/{attachmentId}/upload",
    tag: "ChatKit",
    operationId: "uploadAttachmentMultipart",
    summary: "Upload an attachment's bytes (multipart)",
    description:
      "Phase two of a two-phase upload: `attachments.create` answers an `upload_descriptor` naming this URL. " +
      "Send the file as the multipart field `file`. Each attachment takes one upload.",
    auth: "user",
    parameters: [
      pathParam("attachmentId", "From `attachments.create` (`atc_` + hex).", {
        type: "string",
        pattern: "^atc_[0-9a-f]{8,32}$",
      }),
    ],
    requestBody: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: {
              file: { type: "string", contentMediaType: "application/octet-stream", description: "The file's bytes." },
            },
            required: ["file"],
          },
        },
      },
    },
    responses: uploadAnswers(),
  },
  {
    method: "put",
    path: "/chatkit/attachments/{attachmentId}/upload",
    tag: "ChatKit",
    operationId: "uploadAttachmentRaw",
    summary: "Upload an attachment's bytes (raw body)",
    description: "The same upload as the POST form, with the file's bytes as the whole request body.",
    auth: "user",
    parameters: [
      pathParam("attachmentId", "From `attachments.create` (`atc_` + hex).", {
        type: "string",
        pattern: "^atc_[0-9a-f]{8,32}$",
      }),
    ],
    requestBody: {
      required: true,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
      },
    },
    responses: uploadAnswers(),
  },
  {
    method: "get",
    path: "/chatkit/attachments/{attachmentId}/content",
    tag: "ChatKit",
    operationId: "attachmentContent",
    summary: "Read an attachment's bytes",
    description:
      "Images are served inline (they are the `preview_url` of image attachments); other files as downloads. " +
      "Privately cacheable for 5 minutes.",
    auth: "user",
    parameters: [
      pathParam("attachmentId", "The attachment id (`atc_` + hex).", {
        type: "string",
        pattern: "^atc_[0-9a-f]{8,32}$",
      }),
    ],
    responses: {
      "200": {
        description: "The stored bytes with their content type.",
        content: { "*/*": { schema: { type: "string", contentMediaType: "application/octet-stream" } } },
        headers: {
          "Content-Disposition": { description: "`inline` for images, `attachment` otherwise, with the file name." },
          "Cache-Control": { description: "`private, max-age=300`." },
        },
      },
      ...authed,
      "404": failure(
        "Unknown, malformed or another user's id, or nothing uploaded yet.",
        { detail: "Attachment not found", code: "not_found" },
        { detail: "Attachment not uploaded yet", code: "not_found" },
      ),
    },
  },
  {
    method: "post",
    path: "/api/chatkit/session",
    tag: "ChatKit",
    operationId: "createHostedSession",
    summary: "Mint a hosted ChatKit session",
    description: sessionDescription("Mints a ChatKit client secret for the hosted Agent Builder workflow."),
    auth: "user",
    requestBody: {
      required: false,
      description: "May be empty: every field is optional.",
      content: json(
        requestExample("SessionRequest", { workflow_id: "wf_68df4b2a", state_variables: { locale: "en" } }),
      ),
    },
    responses: sessionAnswers(),
  },
  {
    method: "post",
    path: "/api/chatkit/refresh",
    tag: "ChatKit",
    operationId: "refreshHostedSession",
    summary: "Replace a hosted ChatKit session",
    description: sessionDescription(
      "Mints a new client secret first, then cancels the caller's previous session (best effort; another user's " +
        "session id is left alone). A failed refresh leaves the old secret working.",
    ),
    auth: "user",
    requestBody: {
      required: false,
      content: json(requestExample("RefreshRequest", { session_id: "cksess_68df5c" })),
    },
    responses: sessionAnswers(),
  },
];

function uploadAnswers(): Record<string, Answer> {
  return {
    "200": ok(
      "Stored; the attachment without its `upload_descriptor`.",
      "Attachment",
      responseExample("Attachment", {
        type: "file",
        id: "atc_1a2b3c4d",
        name: "notes.pdf",
        mime_type: "application/pdf",
      }),
    ),
    "400": failure(
      "Not a usable upload.",
      { detail: 'The upload needs a file field named "file".', code: "invalid_upload" },
      { detail: "The upload is empty.", code: "invalid_upload" },
    ),
    ...authed,
    "404": failure("Unknown, malformed or another user's attachment id.", {
      detail: "Attachment not found",
      code: "not_found",
    }),
    "409": failure("The bytes were uploaded before.", {
      detail: "This attachment was already uploaded.",
      code: "already_uploaded",
    }),
    "429": failure(
      `More than ${DEFAULT_UPLOADS.perMinute} uploads a minute or ${DEFAULT_UPLOADS.perDay} a day by this user ` +
        "(`UPLOADS_PER_MINUTE`, `UPLOADS_PER_DAY`); `Retry-After` says how many seconds to wait.",
      {
        detail: "You are uploading files faster than allowed. Please wait a moment and try again.",
        code: "rate_limited",
      },
      { detail: "You have reached today's upload limit. Please come back tomorrow.", code: "rate_limited" },
    ),
    "413": failure(
      `Larger than ATTACHMENT_MAX_BYTES (${DEFAULT_ATTACHMENT_MAX_BYTES / (1024 * 1024)} MiB unless configured).`,
      { detail: `Request body is larger than ${DEFAULT_ATTACHMENT_MAX_BYTES} bytes`, code: "payload_too_large" },
    ),
  };
}

function sessionAnswers(): Record<string, Answer> {
  return {
    "200": ok("The new session. Never cached.", "HostedSession", hostedSession),
    ...jsonBody(SESSION_BODY_LIMIT, "workflow_id", "is not a valid workflow id"),
    ...authed,
    "403": failure("The body names a workflow the caller holds no active subscription for.", {
      detail: "You do not have an active subscription for this workflow.",
      code: "workflow_not_allowed",
    }),
    "429": rateLimited("Too many ChatKit session requests; please wait a moment."),
    "500": failure(
      "The server is missing configuration.",
      { detail: "WORKFLOW_ID is not configured.", code: "not_configured" },
      { detail: "OPENAI_API_KEY is not configured.", code: "not_configured" },
    ),
    "502": failure("OpenAI failed or could not be reached.", {
      detail: "Unable to create ChatKit session.",
      code: "openai_error",
    }),
  };
}
