/**
 * The redaction layer every log line passes through (logger.ts): values under sensitive keys are
 * replaced whole, and strings anywhere lose what looks like an email address, a bearer token, a
 * JWT, an API key or signing secret, a password in a connection URL or a token in a query. It is
 * the safety net, not the rule: log calls name ids, counts and codes, never user text.
 */
const REDACTED = "[redacted]";

/** Keys whose values never reach a log line: credentials, and the fields that carry user words. */
const SENSITIVE_KEY =
  /pass(word)?|secret|token|authorization|cookie|api_?key|credential|signature|e?mail|^text$|^content$|^input$|^prompt$|^fact$|^body$|^instructions$/i;

const PATTERNS: [RegExp, string][] = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]"],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[jwt]"],
  [/\b(?:sk|rk|pk|ek|whsec|cs_live|cs_test)[-_][A-Za-z0-9_-]{8,}/g, "[secret]"],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:\s/@]+:)[^@\s]+@/gi, `$1${REDACTED}@`],
  [/([?&](?:token|code|key|secret|signature|sig|state)=)[^&\s"]+/gi, `$1${REDACTED}`],
];

/** What every pattern above needs at least one of: most strings (ids, routes, codes) have none and skip the six. */
const MAY_MATCH = /[@=]|:\/\/|bearer|eyJ|(?:sk|rk|pk|ek|whsec|cs_live|cs_test)[-_]/i;

export function scrubText(text: string): string {
  if (!MAY_MATCH.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 6;

/** A copy of `value` fit for a log line (errors become plain objects with their name, message, code and stack). */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[depth]";
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; status?: unknown };
    return {
      type: e.name,
      message: scrubText(e.message),
      ...(typeof e.code === "string" || typeof e.code === "number" ? { code: e.code } : {}),
      ...(typeof e.status === "number" ? { status: e.status } : {}),
      ...(e.stack ? { stack: scrubText(e.stack) } : {}),
      ...(e.cause !== undefined ? { cause: scrub(e.cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SENSITIVE_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
  return out;
}
