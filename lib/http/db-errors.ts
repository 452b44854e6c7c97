/** Recognises "the database is unreachable" so we answer 503 (retryable) instead of 500. */

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "53300", // too_many_connections
]);

const CONNECTION_MESSAGES = [
  "Connection terminated",
  "connect ECONNREFUSED",
  "Client has encountered a connection error",
  "timeout exceeded when trying to connect",
  "the database system is",
  "Connection ended unexpectedly",
];

export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") break;
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.message === "string" && CONNECTION_MESSAGES.some((m) => (e.message as string).includes(m)))
      return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = e.cause;
  }
  return false;
}

/**
 * PostgreSQL refuses some text a client can send (a NUL character in `text`, a lone UTF-16
 * surrogate in `jsonb`): the input is at fault, so this is a 400, not a 500.
 */
export function isUnstorableText(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") break;
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (e.code === "22021" || e.code === "22P05") return true; // invalid byte sequence, untranslatable character
    // 22P02 on json input: we serialise with JSON.stringify, so only unicode escapes Postgres refuses get here.
    if (e.code === "22P02" && typeof e.message === "string" && /type json|Unicode/i.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
