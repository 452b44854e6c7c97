/**
 * The named schemas of the API reference, pulled from the feature modules that own them and converted
 * with zod's own `z.toJSONSchema` (JSON Schema 2020-12, the dialect OpenAPI 3.1 speaks).
 * Request bodies are converted as zod *inputs* (what a client may send: defaults optional,
 * before transforms), answers as *outputs* (what the server sends).
 */
import { z } from "zod";
import { deleteAccountSchema } from "@/lib/account/delete";
import { assistantStatusSchema } from "@/lib/assistant/status";
import { accountOverviewSchema } from "@/lib/account/overview";
import { changePasswordSchema } from "@/lib/account/password";
import {
  forgotPasswordSchema,
  loginSchema,
  resetPasswordSchema,
  signupSchema,
  verifyEmailSchema,
} from "@/lib/auth/credentials";
import { tokenResponseSchema, userReadSchema } from "@/lib/auth/user-read";
import { catalogueResponseSchema } from "@/lib/billing/catalogue";
import { microAgentResponseSchema } from "@/lib/billing/micro-agents";
import { billingPortalResponseSchema } from "@/lib/billing/portal";
import { planChangeSchema } from "@/lib/billing/plan-input";
import { subscribeResponseSchema } from "@/lib/billing/subscribe";
import { subscribeSchema } from "@/lib/billing/subscribe-input";
import { webhookAckSchema } from "@/lib/billing/webhook-verify";
import * as chatkit from "@/lib/chatkit/types";
import { factEnvelopeSchema, factListSchema, factViewSchema } from "@/lib/facts/schemas";
import { healthReportSchema } from "@/lib/health/check";
import { hostedSessionAnswerSchema, refreshRequestSchema, sessionRequestSchema } from "@/lib/hosted-sessions";
import { ERROR_CODES, errorBodySchema } from "@/lib/http";
import { CHATKIT_REQUESTS } from "./chatkit-requests";

export type JsonSchema = { [key: string]: unknown };

export const REQUEST_SCHEMAS = {
  SignupRequest: signupSchema,
  LoginRequest: loginSchema,
  ForgotPasswordRequest: forgotPasswordSchema,
  VerifyEmailRequest: verifyEmailSchema,
  ResetPasswordRequest: resetPasswordSchema,
  SessionRequest: sessionRequestSchema,
  RefreshRequest: refreshRequestSchema,
  SubscribeRequest: subscribeSchema,
  DeleteAccountRequest: deleteAccountSchema,
  ChangePasswordRequest: changePasswordSchema,
  PlanChangeRequest: planChangeSchema,
  ChatKitRequest: chatkit.ChatKitReq,
  ...CHATKIT_REQUESTS,
} as const satisfies Record<string, z.ZodType>;

/** `{}`: what ChatKit answers when a request has nothing to return. */
const emptyObjectSchema = z.object({}).strict();

export const RESPONSE_SCHEMAS = {
  // The codes an answer may carry: the list AppError takes (lib/http/error-codes.ts).
  Error: errorBodySchema.extend({
    code: z.enum(ERROR_CODES).meta({ description: "A stable machine code: programs branch on it." }),
  }),
  Health: healthReportSchema,
  AssistantStatus: assistantStatusSchema,
  UserRead: userReadSchema,
  TokenResponse: tokenResponseSchema,
  FactView: factViewSchema,
  FactList: factListSchema,
  FactEnvelope: factEnvelopeSchema,
  MicroAgent: microAgentResponseSchema,
  SubscribeResponse: subscribeResponseSchema,
  AccountOverview: accountOverviewSchema,
  BillingPortal: billingPortalResponseSchema,
  Catalogue: catalogueResponseSchema,
  HostedSession: hostedSessionAnswerSchema,
  WebhookAck: webhookAckSchema,
  Thread: chatkit.Thread,
  ThreadPage: chatkit.pageSchema(chatkit.Thread),
  ThreadItem: chatkit.ThreadItem,
  ThreadItemPage: chatkit.pageSchema(chatkit.ThreadItem),
  ThreadStreamEvent: chatkit.ThreadStreamEvent,
  WidgetNode: chatkit.WidgetNode,
  Attachment: chatkit.Attachment,
  SyncCustomActionResponse: chatkit.SyncCustomActionResponse,
  TranscriptionResult: chatkit.TranscriptionResult,
  Empty: emptyObjectSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;
export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
export type SchemaName = RequestSchemaName | ResponseSchemaName;

/** A short sentence per component, shown above its fields. */
const DESCRIPTIONS: Partial<Record<SchemaName, string>> = {
  Error: "The body of every error answer. FastAPI clients read `detail`; programs branch on `code`.",
  ChatKitRequest: "The ChatKit request envelope: `{type, params, metadata?}`, one variant per request type.",
  SessionRequest: "All fields optional; each accepted in snake_case or camelCase (snake_case wins when both are sent).",
  RefreshRequest: "The session body plus the session to retire (`session_id` or `sessionId`).",
  MicroAgent: "MicroAgentResponse of the contract, plus `current_period_end` and `cancel_at_period_end`.",
  Catalogue:
    "The micro-agents on offer, read from Stripe: active products naming the workflow they unlock, with their active recurring prices.",
  PlanChangeRequest: "The plan to switch to: another price of the same micro-agent.",
  Thread: "A thread as clients see it: server-side `metadata` is always `{}`.",
  ThreadStreamEvent: "One server-sent event of a streaming ChatKit answer, framed as `data: <JSON>`.",
  WidgetNode: "A widget component tree: `{type, id?, key?, children?, ...props}` (kept open on purpose).",
  Attachment: "An attachment as clients see it; `upload_descriptor` is present until its bytes are uploaded.",
  Empty: "An empty JSON object.",
  DeleteAccountRequest: "Exactly one of `password` (accounts with one) or `email` (accounts without a password).",
};

function convert(registryEntries: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(registryEntries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    // Refinements and transforms have no JSON Schema; document what can be, never fail the build.
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // `$schema`/`$id` belong to standalone documents, not to components of one OpenAPI document.
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

let cached: Record<string, JsonSchema> | undefined;

/** Every component schema, request and response side, with descriptions. */
export function componentSchemas(): Record<string, JsonSchema> {
  if (cached) return cached;
  const requests = convert(REQUEST_SCHEMAS, "input");
  const responses = convert(RESPONSE_SCHEMAS, "output");
  const all: Record<string, JsonSchema> = { ...requests, ...responses };
  for (const [name, description] of Object.entries(DESCRIPTIONS)) {
    const schema = all[name];
    if (schema && schema.description === undefined) all[name] = { description, ...schema };
  }
  const union = all.ChatKitRequest;
  if (union) all.ChatKitRequest = { ...union, discriminator: { propertyName: "type", mapping: chatkitMapping() } };
  cached = all;
  return all;
}

/** `type` value → component, for the envelope's discriminator. */
function chatkitMapping(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CHATKIT_REQUESTS).map(([name, schema]) => [schema.shape.type.value, `#/components/schemas/${name}`]),
  );
}
