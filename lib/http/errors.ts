/** Typed application errors: the one way a handler says "this request failed, and why". */

import type { z } from "zod";
import type { errorIssueSchema } from "./error-body";
import type { ErrorCode } from "./error-codes";

export type { ErrorCode };

export type ErrorIssue = z.infer<typeof errorIssueSchema>;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const badRequest = (detail: string, code: ErrorCode = "bad_request") => new AppError(400, code, detail);
export const invalidJson = (detail = "Request body is not valid JSON") => new AppError(400, "invalid_json", detail);
export const unauthorized = (detail = "Not authenticated") =>
  new AppError(401, "unauthorized", detail, {}, { "WWW-Authenticate": "Bearer" });
export const forbidden = (detail = "Forbidden", code: ErrorCode = "forbidden") => new AppError(403, code, detail);
export const notFound = (detail = "Not found", code: ErrorCode = "not_found") => new AppError(404, code, detail);
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new AppError(
    405,
    "method_not_allowed",
    `${method.slice(0, 20)} is not allowed here (allowed: ${allowed.join(", ")})`,
    {},
    { Allow: allowed.join(", ") },
  );
export const conflict = (detail: string, code: ErrorCode = "conflict") => new AppError(409, code, detail);
export const payloadTooLarge = (limitBytes: number) =>
  new AppError(413, "payload_too_large", `Request body is larger than ${limitBytes} bytes`);
export const unsupportedMediaType = (detail: string) => new AppError(415, "unsupported_media_type", detail);
export const validationError = (issues: ErrorIssue[], detail?: string) =>
  new AppError(422, "validation_error", detail ?? summarize(issues), { issues });
export const tooManyRequests = (retryAfterSeconds: number, detail = "Too many requests") =>
  new AppError(429, "rate_limited", detail, {}, { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) });
export const notConfigured = (detail: string) => new AppError(500, "not_configured", detail);
export const badGateway = (detail: string, code: ErrorCode = "upstream_error") => new AppError(502, code, detail);
export const serviceUnavailable = (detail = "Service temporarily unavailable, please retry") =>
  new AppError(503, "service_unavailable", detail, {}, { "Retry-After": "1" });

function summarize(issues: ErrorIssue[]): string {
  const first = issues[0];
  if (!first) return "Invalid request";
  const where = first.path ? `${first.path}: ` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `Invalid request: ${where}${first.message}${more}`;
}
