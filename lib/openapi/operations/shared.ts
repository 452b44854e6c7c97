/** Values and answers every tag's operations share: ids for examples and the error answers of the contract. */
import type { ResponseSchemaName } from "../components";
import { failure, json, type Answer } from "../spec";

export const UUID = { type: "string", format: "uuid" };
export const ISO = "2026-11-26T09:30:00.000Z";
export const USER_ID = "6f1c2b9e-4d3a-4c1e-9a57-2f0d8b7c6e15";
export const AGENT_ID = "0b8e7f62-31a4-4d5c-8f29-6a1e3c9d7b40";

export const unauthorized = failure(
  "No valid credentials (missing, malformed, expired, or issued before a password reset). Carries `WWW-Authenticate: Bearer`.",
  { detail: "Not authenticated", code: "unauthorized" },
);
export const invalidJson = failure("The body is not JSON (or is empty where a JSON object is required).", {
  detail: "Request body is not valid JSON",
  code: "invalid_json",
});
export const tooLarge = (limit: number) =>
  failure(`The body is larger than ${limit} bytes; refused before parsing.`, {
    detail: `Request body is larger than ${limit} bytes`,
    code: "payload_too_large",
  });
export const invalid = (path: string, message: string) =>
  failure("The body does not match the schema; `issues` lists every failing field.", {
    detail: `Invalid request: ${path}: ${message}`,
    code: "validation_error",
    issues: [{ path, message }],
  });
export const rateLimited = (detail: string) =>
  failure("Too many requests; `Retry-After` says how many seconds to wait.", { detail, code: "rate_limited" });
export const unavailable = failure("The database cannot be reached right now; retry after `Retry-After` seconds.", {
  detail: "Service temporarily unavailable, please retry",
  code: "service_unavailable",
});

/** Answers every authenticated endpoint can give. */
export const authed = { "401": unauthorized, "503": unavailable };
/** Answers of every endpoint that reads a JSON body. */
export const jsonBody = (limit: number, path: string, message: string) => ({
  "400": invalidJson,
  "413": tooLarge(limit),
  "422": invalid(path, message),
});

export const ok = (description: string, schema: ResponseSchemaName, example?: { example: unknown }): Answer => ({
  description,
  content: json({ schema, ...(example ? { example: example.example } : {}) }),
});
