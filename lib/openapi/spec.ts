/** The shape of one documented operation, and the small helpers the registry is written with. */
import type { z } from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";
import type {
  REQUEST_SCHEMAS,
  RESPONSE_SCHEMAS,
  JsonSchema,
  RequestSchemaName,
  ResponseSchemaName,
} from "./components";

export type Method = "get" | "post" | "put";

/** Who may call: a user (bearer token or session cookie), a signed-in browser only, anyone, or Stripe. */
export type Auth = "user" | "session" | "none" | "stripe";

export type Param = {
  name: string;
  in: "path" | "query" | "header";
  description: string;
  required?: boolean;
  schema?: JsonSchema;
};

export type Body = {
  description?: string;
  required?: boolean;
  /** Content type → a named request schema or an inline schema. */
  content: Record<string, { schema: RequestSchemaName | JsonSchema; example?: unknown }>;
};

export type Answer = {
  description: string;
  /** Content type → a named response schema or an inline schema. Error answers need none: they are always `Error`. */
  content?: Record<string, { schema: ResponseSchemaName | JsonSchema; example?: unknown }>;
  headers?: Record<string, { description: string; schema?: JsonSchema }>;
  /** Example error bodies (`{detail, code}`), one per distinct cause. */
  errors?: { detail: string; code: ErrorCode; issues?: { path: string; message: string }[] }[];
};

export type Operation = {
  method: Method;
  /** OpenAPI template, e.g. `/facts/{fact_id}/save`. */
  path: string;
  tag: string;
  operationId: string;
  summary: string;
  description?: string;
  auth: Auth;
  parameters?: Param[];
  requestBody?: Body;
  responses: Record<string, Answer>;
  /** Routes answered by next-auth itself: outside our error contract. */
  external?: "next-auth";
  /** Extra OpenAPI fields (`x-…`) for readers that want more than the standard offers. */
  extensions?: Record<string, unknown>;
};

/** A request example checked by the type checker against the schema's input type. */
export function requestExample<N extends RequestSchemaName>(
  schema: N,
  example: z.input<(typeof REQUEST_SCHEMAS)[N]>,
): { schema: N; example: unknown } {
  return { schema, example };
}

/** An answer example checked by the type checker against the schema's output type. */
export function responseExample<N extends ResponseSchemaName>(
  schema: N,
  example: z.output<(typeof RESPONSE_SCHEMAS)[N]>,
): { schema: N; example: unknown } {
  return { schema, example };
}

type ContentEntry = { schema: RequestSchemaName | ResponseSchemaName | JsonSchema; example?: unknown };

export const json = <T extends ContentEntry>(entry: T) => ({ "application/json": entry });

/** An error answer: the `Error` schema, with example bodies. */
export function failure(description: string, ...errors: NonNullable<Answer["errors"]>): Answer {
  return { description, errors };
}

export const pathParam = (name: string, description: string, schema: JsonSchema = { type: "string" }): Param => ({
  name,
  in: "path",
  description,
  required: true,
  schema,
});
