/**
 * The largest request body each endpoint reads, in bytes — written once. Route handlers pass
 * these to `parseJson` / `readText` / `readBytes`, and the OpenAPI registry (`lib/openapi`)
 * quotes the same constants in its 413 answers, so the reference cannot drift from the code.
 * A body over its limit is refused with 413 `payload_too_large` before it is parsed.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** Any body read without a more specific limit. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/** Sign-up, sign-in, password reset and similar small account forms. */
export const AUTH_BODY_LIMIT = 16 * KiB;

/** `POST /api/microagents/subscribe`: three short strings. */
export const SUBSCRIBE_BODY_LIMIT = 16 * KiB;

/** `POST /api/microagents/{id}/plan`: one price id. */
export const PLAN_CHANGE_BODY_LIMIT = 4 * KiB;

/**
 * `POST /api/chatkit/session` and `/refresh`: room for the largest valid state
 * (32 keys of 64 characters with 512-character values) plus the other fields.
 */
export const SESSION_BODY_LIMIT = 32 * KiB;

/** `POST /chatkit`: large enough for dictation audio sent as base64 through `input.transcribe`. */
export const CHATKIT_BODY_LIMIT = 8 * MiB;

/** `POST /api/webhooks/stripe`: Stripe events are a few KB; anything near this is not from Stripe. */
export const WEBHOOK_BODY_LIMIT = 512 * KiB;

/**
 * Attachment uploads: the default of `ATTACHMENT_MAX_BYTES` (configurable, see `lib/env.ts`,
 * which reads the effective value as `chatkit.attachmentMaxBytes`).
 */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * MiB;
