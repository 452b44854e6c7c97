/**
 * What one person may send the model, written once: the bounds of a message, of the
 * conversation sent per call and of a thread title (in characters), and the per-user quotas of
 * model turns and attachment uploads. These are the defaults of their variables (lib/env.ts reads
 * the effective values); the API reference (lib/openapi) quotes them. Request body sizes, in
 * bytes, are in body-limits.ts.
 */

/**
 * Model input bounds, in characters (defaults of CHAT_MESSAGE_MAX_CHARS, CHAT_HISTORY_MAX_CHARS and
 * CHAT_TITLE_MAX_CHARS): one user message's text, the conversation sent to the model per call,
 * and a thread title.
 */
export const DEFAULT_MESSAGE_MAX_CHARS = 32_000;
export const DEFAULT_HISTORY_MAX_CHARS = 120_000;
export const DEFAULT_TITLE_MAX_CHARS = 200;

/** Per-user quotas (defaults of MODEL_TURNS_PER_MINUTE/_PER_DAY and UPLOADS_PER_MINUTE/_PER_DAY). */
export const DEFAULT_MODEL_TURNS = { perMinute: 10, perDay: 500 } as const;
export const DEFAULT_UPLOADS = { perMinute: 10, perDay: 200 } as const;
