/**
 * Every endpoint the app serves, in one registry: method, path, who may call, what to send,
 * and each answer with its status. Bodies and answers name schemas from `components.ts`
 * (owned by their rooms); statuses and error codes follow the code paths of each route.
 * `operations.test.ts` fails when a route file exists that this list does not describe.
 */
import { NON_STREAMING_REQUEST_TYPES, STREAMING_REQUEST_TYPES } from "@/lib/chatkit/types";
import { CHATKIT_BODY_LIMIT } from "@/lib/assistant/handle-request";
import { SESSION_BODY_LIMIT } from "@/lib/hosted-sessions";
import { CHATKIT_REQUESTS, type ResponseSchemaName } from "./components";
import { failure, json, pathParam, requestExample, responseExample, type Answer, type Operation } from "./spec";

const AUTH_BODY_LIMIT = 16 * 1024;
const WEBHOOK_BODY_LIMIT = 512 * 1024;
const UUID = { type: "string", format: "uuid" };
const ISO = "2026-11-26T09:30:00.000Z";
const USER_ID = "6f1c2b9e-4d3a-4c1e-9a57-2f0d8b7c6e15";
const AGENT_ID = "0b8e7f62-31a4-4d5c-8f29-6a1e3c9d7b40";

// ----------------------------------------------------------------------------- shared answers

const unauthorized = failure(
  "No valid credentials (missing, malformed, expired, or issued before a password reset). Carries `WWW-Authenticate: Bearer`.",
  { detail: "Not authenticated", code: "unauthorized" },
);
const invalidJson = failure("The body is not JSON (or is empty where a JSON object is required).", {
  detail: "Request body is not valid JSON",
  code: "invalid_json",
});
const tooLarge = (limit: number) =>
  failure(`The body is larger than ${limit} bytes; refused before parsing.`, {
    detail: `Request body is larger than ${limit} bytes`,
    code: "payload_too_large",
  });
const invalid = (path: string, message: string) =>
  failure("The body does not match the schema; `issues` lists every failing field.", {
    detail: `Invalid request: ${path}: ${message}`,
    code: "validation_error",
    issues: [{ path, message }],
  });
const rateLimited = (detail: string) =>
  failure("Too many requests; `Retry-After` says how many seconds to wait.", { detail, code: "rate_limited" });
const unavailable = failure("The database cannot be reached right now; retry after `Retry-After` seconds.", {
  detail: "Service temporarily unavailable, please retry",
  code: "service_unavailable",
});

/** Answers every authenticated endpoint can give. */
const authed = { "401": unauthorized, "503": unavailable };
/** Answers of every endpoint that reads a JSON body. */
const jsonBody = (limit: number, path: string, message: string) => ({
  "400": invalidJson,
  "413": tooLarge(limit),
  "422": invalid(path, message),
});

const ok = (description: string, schema: ResponseSchemaName, example?: { example: unknown }): Answer => ({
  description,
  content: json({ schema, ...(example ? { example: example.example } : {}) }),
});

// ----------------------------------------------------------------------------- examples

const userRead = responseExample("UserRead", {
  id: USER_ID,
  email: "ada@example.com",
  created_at: ISO,
  updated_at: ISO,
});
const tokenResponse = responseExample("TokenResponse", {
  access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjMmI5ZSJ9.c2lnbmF0dXJl",
  token_type: "bearer",
  user: userRead.example as never,
});
const fact = { id: "fact_3f9a1c0e5b7d42a8c1e09b6d7f3a2c51", text: "My sister is called Ada.", createdAt: ISO };
const microAgent = {
  id: AGENT_ID,
  agent_name: "Weekly digest",
  workflow_id: "wf_68df4b2a",
  stripe_price_id: "price_123",
  stripe_subscription_id: null,
  status: "pending" as const,
  current_period_end: null,
  cancel_at_period_end: false,
  created_at: ISO,
  updated_at: ISO,
};
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

/**
 * Route prefixes left out of the reference on purpose, with the reason. Only tooling belongs
 * here, never an endpoint a client may use.
 */
export const UNDOCUMENTED_ROUTES: Record<string, string> = {
  "/api/bench/": "Benchmark yardsticks for the load tests; 404 unless BENCH_ROUTES=1.",
};

// ----------------------------------------------------------------------------- the registry

export const OPERATIONS: Operation[] = [
  // Meta
  {
    method: "get",
    path: "/health",
    tag: "Meta",
    operationId: "health",
    summary: "Health check",
    description: "Healthy when the database answers a trivial query within 3 seconds. Never cached.",
    auth: "none",
    responses: {
      "200": ok("The app and its database answer.", "Health", { example: { status: "healthy" } }),
      "503": {
        description: "The database cannot be reached (the body says why; not the `Error` shape).",
        content: json({
          schema: "Health",
          example: {
            status: "unhealthy",
            database: "unreachable",
            detail: "Database check failed: no answer within 3000 ms",
          },
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    tag: "Meta",
    operationId: "openapi",
    summary: "This API description (OpenAPI 3.1)",
    description: "Generated from the same zod schemas the routes validate with. A readable rendering lives at `/docs`.",
    auth: "none",
    responses: {
      "200": {
        description: "The OpenAPI 3.1 document.",
        content: json({ schema: { type: "object", description: "An OpenAPI 3.1 document." } }),
      },
    },
  },

  // ChatKit
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
      "another user's ids are not found.",
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

  // Facts
  {
    method: "get",
    path: "/facts",
    tag: "Facts",
    operationId: "listFacts",
    summary: "List saved facts",
    description: "The caller's saved facts, oldest first (at most 200).",
    auth: "user",
    responses: {
      "200": ok("The saved facts.", "FactList", responseExample("FactList", { facts: [{ ...fact, status: "saved" }] })),
      ...authed,
    },
  },
  factDecision("save", "saved"),
  factDecision("discard", "discarded"),

  // Auth
  {
    method: "post",
    path: "/api/auth/signup",
    tag: "Auth",
    operationId: "signup",
    summary: "Create an account",
    description: "Emails are trimmed and lower-cased. Answers a bearer access token for the new account.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("SignupRequest", { email: "ada@example.com", password: "correct horse battery" })),
    },
    responses: {
      "201": ok("The account was created.", "TokenResponse", tokenResponse),
      ...jsonBody(AUTH_BODY_LIMIT, "password", "Password must be at least 8 characters"),
      "400": failure(
        "The address already has an account, or the body is not JSON.",
        { detail: "Email already registered", code: "email_taken" },
        { detail: "Request body is not valid JSON", code: "invalid_json" },
      ),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/login",
    tag: "Auth",
    operationId: "login",
    summary: "Sign in with email and password",
    description: "Unknown emails and wrong passwords get the same answer in the same time.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("LoginRequest", { email: "ada@example.com", password: "correct horse battery" })),
    },
    responses: {
      "200": ok("Signed in.", "TokenResponse", tokenResponse),
      ...jsonBody(AUTH_BODY_LIMIT, "email", "Enter a valid email address"),
      "401": failure("Wrong email or password.", { detail: "Invalid credentials", code: "unauthorized" }),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/forgot-password",
    tag: "Auth",
    operationId: "forgotPassword",
    summary: "Ask for a password reset email",
    description:
      "Always 202, whether or not the address has an account. For a known address, queues an email with a link " +
      "`{APP_BASE_URL}/reset-password?token=…` that works once within 1 hour.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("ForgotPasswordRequest", { email: "ada@example.com" })),
    },
    responses: {
      "202": { description: "Accepted; empty body." },
      ...jsonBody(AUTH_BODY_LIMIT, "email", "Enter a valid email address"),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "post",
    path: "/api/auth/reset-password",
    tag: "Auth",
    operationId: "resetPassword",
    summary: "Set a new password with a reset token",
    description:
      "Spends the token (and every other outstanding link of the account) and signs out every existing token and session.",
    auth: "none",
    requestBody: {
      required: true,
      content: json(requestExample("ResetPasswordRequest", { token: "q3Jx…", password: "a new long password" })),
    },
    responses: {
      "204": { description: "The password was changed; empty body." },
      ...jsonBody(AUTH_BODY_LIMIT, "password", "Password must be at least 8 characters"),
      "400": failure(
        "The token is unknown, already used or expired (or the body is not JSON).",
        { detail: "Invalid or expired token", code: "invalid_token" },
        { detail: "Token already used", code: "token_used" },
        { detail: "Token expired", code: "token_expired" },
        { detail: "Request body is not valid JSON", code: "invalid_json" },
      ),
      "429": rateLimited("Too many attempts. Please wait a moment and try again."),
      "503": unavailable,
    },
  },
  {
    method: "get",
    path: "/api/auth/me",
    tag: "Auth",
    operationId: "me",
    summary: "The signed-in user",
    auth: "user",
    responses: { "200": ok("The caller's account.", "UserRead", userRead), ...authed },
  },
  {
    method: "get",
    path: "/api/auth/oauth/{provider}",
    tag: "Auth",
    operationId: "startOAuth",
    summary: "Start Google or Apple sign-in",
    description:
      "Redirects to the provider's sign-in page and sets next-auth's state/PKCE cookies; the provider returns to " +
      "`/api/auth/callback/{provider}`, which sets the session cookie.",
    auth: "none",
    parameters: [
      pathParam("provider", "`google` or `apple`, when configured.", { type: "string", enum: ["google", "apple"] }),
      {
        name: "callbackUrl",
        in: "query",
        description: "Where to land after sign-in: a same-origin path (anything else falls back to `/chat`).",
        schema: { type: "string", maxLength: 2048, examples: ["/chat"] },
      },
    ],
    responses: {
      "302": {
        description: "To the provider's authorization page.",
        headers: {
          Location: { description: "The provider's authorization URL." },
          "Set-Cookie": { description: "next-auth's state and PKCE cookies." },
        },
      },
      "404": failure("Any other provider, or one that is not configured.", {
        detail: "Unsupported provider",
        code: "unsupported_provider",
      }),
    },
  },
  {
    method: "post",
    path: "/api/auth/token",
    tag: "Auth",
    operationId: "exchangeSessionForToken",
    summary: "Trade the session cookie for a bearer token",
    description:
      "For a signed-in browser that needs to call the API with a bearer token. Bearer tokens themselves are not accepted here.",
    auth: "session",
    responses: {
      "200": ok("A fresh access token for the session's user. Never cached.", "TokenResponse", tokenResponse),
      ...authed,
    },
  },
  ...nextAuthOperations(),

  // Micro-agents
  {
    method: "post",
    path: "/api/microagents/subscribe",
    tag: "Micro-agents",
    operationId: "subscribe",
    summary: "Subscribe to a micro-agent",
    description:
      "Checks the price at Stripe (active and recurring), creates a Checkout session in subscription mode with the " +
      "micro-agent id, user id and workflow id in its metadata, and records a `pending` micro-agent. The webhook " +
      "makes it `active` once paid.",
    auth: "user",
    requestBody: {
      required: true,
      content: json(
        requestExample("SubscribeRequest", {
          agent_name: "Weekly digest",
          workflow_id: "wf_68df4b2a",
          price_id: "price_123",
        }),
      ),
    },
    responses: {
      "201": ok(
        "The Checkout session to send the user to, and the new micro-agent.",
        "SubscribeResponse",
        responseExample("SubscribeResponse", {
          checkout_url: "https://checkout.stripe.com/c/pay/cs_test_a1",
          micro_agent_id: AGENT_ID,
          micro_agent: microAgent,
        }),
      ),
      ...jsonBody(AUTH_BODY_LIMIT, "price_id", "No such price"),
      ...authed,
      "500": failure("Stripe is not configured on this server.", {
        detail: "Stripe secret key is not configured",
        code: "not_configured",
      }),
      "502": failure("Stripe failed or could not be reached; nothing was recorded.", {
        detail: "Stripe error",
        code: "stripe_error",
      }),
    },
  },
  {
    method: "get",
    path: "/api/microagents/me",
    tag: "Micro-agents",
    operationId: "listMicroAgents",
    summary: "The caller's micro-agents",
    description: "Newest first. Never cached.",
    auth: "user",
    responses: {
      "200": {
        description: "Every micro-agent of the caller.",
        content: json({
          schema: { type: "array", items: { $ref: "#/components/schemas/MicroAgent" } },
          example: [{ ...microAgent, status: "active" }],
        }),
      },
      ...authed,
    },
  },
  {
    method: "post",
    path: "/api/microagents/{id}/cancel",
    tag: "Micro-agents",
    operationId: "cancelMicroAgent",
    summary: "Cancel a micro-agent",
    description:
      "Cancels the Stripe subscription immediately (a pending agent's open checkout is expired instead) and marks " +
      "the agent `canceled`. Idempotent: cancelling a canceled agent answers it unchanged.",
    auth: "user",
    parameters: [pathParam("id", "The micro-agent id.", UUID)],
    responses: {
      "200": ok(
        "The canceled micro-agent.",
        "MicroAgent",
        responseExample("MicroAgent", { ...microAgent, status: "canceled" }),
      ),
      ...authed,
      "404": failure("Unknown, malformed or another user's id.", {
        detail: "Micro agent not found",
        code: "micro_agent_not_found",
      }),
      "500": failure("Stripe is not configured on this server.", {
        detail: "Stripe secret key is not configured",
        code: "not_configured",
      }),
      "502": failure("Stripe refused or could not be reached; the agent is unchanged.", {
        detail: "Stripe error",
        code: "stripe_error",
      }),
    },
  },

  // Webhooks
  {
    method: "post",
    path: "/api/webhooks/stripe",
    tag: "Webhooks",
    operationId: "stripeWebhook",
    summary: "Stripe events",
    description:
      "The raw body is verified against `Stripe-Signature` with STRIPE_WEBHOOK_SECRET (5-minute tolerance). Each " +
      "event id is applied once, in any arrival order: the subscription is re-read from Stripe and its state " +
      "written. Handled: `checkout.session.completed`, `customer.subscription.created|updated|deleted`, " +
      "`invoice.paid`, `invoice.payment_failed`; other types are acknowledged and ignored. A 5xx makes Stripe retry.",
    auth: "stripe",
    parameters: [
      {
        name: "Stripe-Signature",
        in: "header",
        required: true,
        description: "`t=<unix>,v1=<hex HMAC-SHA256>` computed by Stripe.",
        schema: { type: "string" },
      },
    ],
    requestBody: {
      required: true,
      description: "A Stripe Event object, exactly as Stripe sent it.",
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["id", "type", "created", "data"],
            properties: {
              id: { type: "string" },
              type: { type: "string", examples: ["invoice.paid"] },
              created: { type: "integer" },
              data: { type: "object", properties: { object: { type: "object" } }, required: ["object"] },
            },
          },
        },
      },
    },
    responses: {
      "200": ok(
        "Verified and applied (or a duplicate, or an event type we ignore).",
        "WebhookAck",
        responseExample("WebhookAck", { received: true }),
      ),
      "400": failure(
        "The request is not a verifiable Stripe event.",
        { detail: "Missing Stripe signature header", code: "missing_signature" },
        { detail: "Invalid signature", code: "invalid_signature" },
        { detail: "Invalid payload", code: "invalid_payload" },
      ),
      "413": tooLarge(WEBHOOK_BODY_LIMIT),
      "500": failure("The webhook secret is not configured.", {
        detail: "Stripe webhook secret is not configured",
        code: "not_configured",
      }),
      "502": failure("Stripe could not be reached to read the subscription; Stripe will redeliver.", {
        detail: "Stripe error",
        code: "stripe_error",
      }),
      "503": unavailable,
    },
  },
];

// ----------------------------------------------------------------------------- builders

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
    "413": failure("Larger than ATTACHMENT_MAX_BYTES (10 MiB unless configured).", {
      detail: "Request body is larger than 10485760 bytes",
      code: "payload_too_large",
    }),
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

function factDecision(verb: "save" | "discard", status: "saved" | "discarded"): Operation {
  return {
    method: "post",
    path: `/facts/{fact_id}/${verb}`,
    tag: "Facts",
    operationId: `${verb}Fact`,
    summary: verb === "save" ? "Save a fact" : "Discard a fact",
    description:
      `Marks the fact \`${status}\` — the same change as the fact card's button in the chat, whose card is settled too. ` +
      (verb === "save" ? "A saved fact is copied to the caller's memory store for later conversations. " : "") +
      "Idempotent: repeating it answers the fact unchanged.",
    auth: "user",
    parameters: [
      pathParam("fact_id", "`fact_` followed by hex characters.", { type: "string", pattern: "^fact_[0-9a-f]{8,64}$" }),
    ],
    responses: {
      "200": ok(
        `The fact, now \`${status}\`.`,
        "FactEnvelope",
        responseExample("FactEnvelope", { fact: { ...fact, status } }),
      ),
      ...authed,
      "404": failure("Unknown, malformed or another user's fact id.", {
        detail: "Fact not found",
        code: "fact_not_found",
      }),
    },
  };
}

/** next-auth's own routes (the `[...nextauth]` catch-all): browser sign-in plumbing, outside our error contract. */
function nextAuthOperations(): Operation[] {
  const base = { tag: "Auth (next-auth)", auth: "none" as const, external: "next-auth" as const };
  const form = (properties: Record<string, unknown>, required: string[]) => ({
    required: true,
    content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties, required } } },
  });
  const redirect: Answer = {
    description: "A redirect (next-auth answers errors by redirecting to `/login?error=…`).",
    headers: { Location: { description: "Where the browser goes next." } },
  };
  const csrf = { type: "string", description: "From `GET /api/auth/csrf`." };
  const provider = pathParam("provider", "`credentials`, `google` or `apple`.", {
    type: "string",
    enum: ["credentials", "google", "apple"],
  });
  return [
    {
      ...base,
      method: "get",
      path: "/api/auth/session",
      operationId: "nextAuthSession",
      summary: "The browser session",
      responses: {
        "200": {
          description: "`{}` when signed out.",
          content: json({
            schema: {
              type: "object",
              properties: {
                user: { type: "object", properties: { id: { type: "string" }, email: { type: ["string", "null"] } } },
                expires: { type: "string" },
              },
            },
            example: { user: { id: USER_ID, email: "ada@example.com" }, expires: ISO },
          }),
        },
      },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/csrf",
      operationId: "nextAuthCsrf",
      summary: "CSRF token for the sign-in and sign-out forms",
      responses: {
        "200": {
          description: "The token (its hash is in a cookie).",
          content: json({
            schema: { type: "object", properties: { csrfToken: { type: "string" } }, required: ["csrfToken"] },
          }),
        },
      },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/providers",
      operationId: "nextAuthProviders",
      summary: "Configured sign-in providers",
      responses: {
        "200": {
          description: "Provider id → `{id, name, type, signinUrl, callbackUrl}`.",
          content: json({ schema: { type: "object", additionalProperties: { type: "object" } } }),
        },
      },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/signin/{provider}",
      operationId: "nextAuthSignIn",
      summary: "Start an OAuth sign-in (form post)",
      description: "What `GET /api/auth/oauth/{provider}` does in one step without a form.",
      parameters: [provider],
      requestBody: form({ csrfToken: csrf, callbackUrl: { type: "string" } }, ["csrfToken"]),
      responses: { "302": redirect },
    },
    {
      ...base,
      method: "get",
      path: "/api/auth/callback/{provider}",
      operationId: "nextAuthCallback",
      summary: "OAuth callback",
      description: "The provider returns here; on success the session cookie is set.",
      parameters: [provider],
      responses: { "302": redirect },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/callback/{provider}",
      operationId: "nextAuthCallbackPost",
      summary: "Credentials sign-in, and Apple's form_post callback",
      description: "With `credentials`: email and password from the sign-in form; sets the session cookie.",
      parameters: [provider],
      requestBody: form(
        { csrfToken: csrf, email: { type: "string" }, password: { type: "string" }, callbackUrl: { type: "string" } },
        ["csrfToken"],
      ),
      responses: { "302": redirect, "200": { description: "With `json=true`: `{url}` to navigate to." } },
    },
    {
      ...base,
      method: "post",
      path: "/api/auth/signout",
      operationId: "nextAuthSignOut",
      summary: "Sign out",
      requestBody: form({ csrfToken: csrf, callbackUrl: { type: "string" } }, ["csrfToken"]),
      responses: { "302": redirect, "200": { description: "With `json=true`: `{url}` to navigate to." } },
    },
  ];
}
