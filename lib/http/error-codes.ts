/**
 * Every `code` an error answer of ours can carry (`{detail, code, issues?}`, lib/http/errors.ts),
 * in one typed list: AppError takes only these, the API reference's examples are checked against
 * them (lib/openapi/spec.ts) and the `Error` schema lists them (lib/openapi/components.ts). A new
 * refusal adds its code here. `/chatkit`'s JSON refusals are listed too: they reach the same
 * clients in the same body.
 */
export const ERROR_CODES = [
  // Any route: the request itself
  "bad_request",
  "invalid_json",
  "invalid_path",
  "malformed_request",
  "method_not_allowed",
  "payload_too_large",
  "request_aborted",
  "request_headers_too_large",
  "request_timeout",
  "unsupported_characters",
  "unsupported_media_type",
  "validation_error",
  // Any route: the caller, limits, the server
  "unauthorized",
  "forbidden",
  "cross_site_request_refused",
  "rate_limited",
  "not_found",
  "conflict",
  "internal_error",
  "misconfigured",
  "not_configured",
  "service_unavailable",
  "upstream_error",
  // Accounts and sign-in
  "auth_request_invalid",
  "already_verified",
  "email_mismatch",
  "email_required",
  "email_taken",
  "invalid_password",
  "invalid_token",
  "no_password",
  "password_changed",
  "password_required",
  "token_expired",
  "token_used",
  "unsupported_provider",
  // Facts
  "fact_not_found",
  // Billing and micro-agents (Stripe)
  "catalogue_unavailable",
  "invalid_payload",
  "invalid_signature",
  "micro_agent_not_found",
  "missing_signature",
  "not_active",
  "stripe_error",
  "stripe_unavailable",
  "unsupported_api_version",
  "workflow_not_allowed",
  // OpenAI
  "openai_error",
  // /chatkit and its attachments
  "already_uploaded",
  "attachment_too_large",
  "attachment_type_not_allowed",
  "attachments_not_supported",
  "invalid_upload",
  "json_too_deep",
  "message_too_long",
  "no_pending_tool_call",
  "not_a_user_message",
  "not_a_widget",
  "not_implemented",
  "not_structured_input",
  "structured_input_not_pending",
  "title_too_long",
  "unknown_request_type",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
