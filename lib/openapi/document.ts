/**
 * The OpenAPI 3.1 document: the operation registry plus the component schemas, with the
 * error contract (`Error`, `WWW-Authenticate`, `Retry-After`) written once and referenced.
 * Built once per process; `GET /api/openapi.json` serves it and `/docs` renders it.
 */
import { componentSchemas, type JsonSchema } from "./components";
import { OPERATIONS } from "./operations";
import type { Answer, Auth, Body, Operation } from "./spec";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
  };
};

export const TAGS: { name: string; description: string }[] = [
  { name: "Meta", description: "Health and this description." },
  {
    name: "ChatKit",
    description:
      "The chat: the ChatKit protocol endpoint, attachments, hosted-workflow sessions, and whether the assistant has a model.",
  },
  { name: "Facts", description: "Facts the assistant heard: pending until the user saves or discards them." },
  { name: "Auth", description: "Accounts, passwords and bearer access tokens (JSON routes beside next-auth's own)." },
  {
    name: "Auth (next-auth)",
    description:
      "next-auth's own routes under `/api/auth/*`, used by the sign-in pages. They answer redirects and next-auth's " +
      "JSON, not the `{detail, code}` error contract. API clients should use the JSON routes of the Auth group.",
  },
  {
    name: "Account",
    description:
      "The caller's own account: overview, password, signing out everywhere, export, deletion, and Stripe's billing portal.",
  },
  { name: "Micro-agents", description: "Paid subscriptions to hosted workflows, through Stripe Checkout." },
  { name: "Webhooks", description: "Calls from Stripe." },
];

const DESCRIPTION = [
  "The HTTP API of Facts Chat. Paths, field names and status codes are kept from the earlier FastAPI backend.",
  "",
  '**Errors.** Every non-2xx answer of our routes is JSON `{"detail": "<sentence>", "code": "<machine_code>"}`; ' +
    "validation failures (`422`, `code: validation_error`) add `issues: [{path, message}]`. Malformed JSON answers `400 invalid_json`. " +
    "No client mistake produces a 5xx.",
  "",
  "**Authentication.** Authenticated endpoints accept `Authorization: Bearer <access_token>` (from signup, login or " +
    "`POST /api/auth/token`) or the browser's next-auth session cookie. Missing or invalid credentials answer `401` with " +
    "`WWW-Authenticate: Bearer`. Another user's resource answers `404`, never revealing that it exists.",
  "",
  "**Conventions.** snake_case fields (the facts endpoints keep the seed's `createdAt`), ISO-8601 UTC timestamps, UUID ids " +
    "unless noted. Rate-limited answers (`429`) and database outages (`503`) carry `Retry-After`. Browser origins on the " +
    "allow-list (APP_BASE_URL, ALLOWED_ORIGIN_REGEX) get CORS headers with credentials; every JSON route answers `OPTIONS` preflights.",
].join("\n");

const SECURITY: Record<Auth, JsonSchema[]> = {
  user: [{ bearerAuth: [] }, { sessionCookie: [] }],
  session: [{ sessionCookie: [] }],
  none: [],
  stripe: [],
};

const ERROR_REF = { $ref: "#/components/schemas/Error" };

/** Headers the error contract always sends with these statuses. */
const CONTRACT_HEADERS: Record<string, Record<string, JsonSchema>> = {
  "401": { "WWW-Authenticate": { $ref: "#/components/headers/WWWAuthenticate" } },
  "429": { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
  "503": { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
};

const schemaOf = (schema: string | JsonSchema): JsonSchema =>
  typeof schema === "string" ? { $ref: `#/components/schemas/${schema}` } : schema;

function content(entries: NonNullable<Answer["content"]> | Body["content"]): JsonSchema {
  return Object.fromEntries(
    Object.entries(entries).map(([type, entry]) => [
      type,
      { schema: schemaOf(entry.schema), ...(entry.example !== undefined ? { example: entry.example } : {}) },
    ]),
  );
}

function response(status: string, answer: Answer, op: Operation): JsonSchema {
  const isError = Number(status) >= 400;
  const headers: Record<string, JsonSchema> = {
    ...Object.fromEntries(
      Object.entries(answer.headers ?? {}).map(([name, h]) => [
        name,
        { description: h.description, schema: h.schema ?? { type: "string" } },
      ]),
    ),
    ...(isError && !op.external ? CONTRACT_HEADERS[status] : {}),
  };
  const out: JsonSchema = { description: answer.description };
  if (Object.keys(headers).length > 0) out.headers = headers;
  if (answer.content) out.content = content(answer.content);
  else if (isError && answer.errors) {
    const examples: JsonSchema = {};
    for (const e of answer.errors) {
      let key: string = e.code;
      for (let n = 2; key in examples; n++) key = `${e.code}_${n}`;
      examples[key] = { summary: e.detail, value: e };
    }
    out.content = { "application/json": { schema: ERROR_REF, examples } };
  }
  return out;
}

function operation(op: Operation): JsonSchema {
  const out: JsonSchema = {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: SECURITY[op.auth],
  };
  if (op.parameters?.length) {
    out.parameters = op.parameters.map((p) => ({
      ...p,
      required: p.in === "path" ? true : (p.required ?? false),
      schema: p.schema ?? { type: "string" },
    }));
  }
  if (op.requestBody) {
    out.requestBody = {
      ...(op.requestBody.description ? { description: op.requestBody.description } : {}),
      required: op.requestBody.required ?? true,
      content: content(op.requestBody.content),
    };
  }
  const statuses = Object.keys(op.responses).sort();
  out.responses = Object.fromEntries(statuses.map((s) => [s, response(s, op.responses[s] as Answer, op)]));
  if (op.external) out["x-handled-by"] = op.external;
  return { ...out, ...op.extensions };
}

let cached: OpenApiDocument | undefined;

export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const paths: OpenApiDocument["paths"] = {};
  for (const op of OPERATIONS) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is documented twice`);
    item[op.method] = operation(op);
  }
  cached = {
    openapi: "3.1.0",
    info: { title: "Facts Chat API", version: "1.0.0", description: DESCRIPTION },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "This deployment" }],
    tags: TAGS,
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An access token from `/api/auth/signup`, `/api/auth/login` or `/api/auth/token` (HS256, expires after JWT_EXPIRES_IN seconds).",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The browser session set by next-auth at sign-in (`__Secure-next-auth.session-token` over HTTPS).",
        },
      },
      headers: {
        WWWAuthenticate: { description: "Always `Bearer` on a 401.", schema: { type: "string", const: "Bearer" } },
        RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
      },
    },
  };
  return cached;
}
