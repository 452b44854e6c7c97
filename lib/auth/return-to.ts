/**
 * The one return-to rule for every redirect after sign-in (the auth pages, next-auth's redirect
 * callback, the OAuth start route): the value is resolved against our own origin and only a
 * same-origin target is followed, as a path. Browsers drop TAB/CR/LF inside URLs and read `\` as
 * `/`, so `/<TAB>/evil.example` or `/\evil.example` would leave the site: any control character
 * or backslash is refused outright, as is anything that resolves to a `//host` path. Never throws.
 */
import "server-only";
const FALLBACK = "/chat";
const MAX_LENGTH = 2048;
// The origin relative values are resolved against when the caller has none to give.
const PLACEHOLDER_ORIGIN = "http://return-to.invalid";
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\\]/;

export function safeReturnTo(raw: unknown, options: { origin?: string; fallback?: string } = {}): string {
  const fallback = options.fallback ?? FALLBACK;
  if (typeof raw !== "string" || raw === "" || raw.length > MAX_LENGTH) return fallback;
  if (CONTROL_OR_BACKSLASH.test(raw)) return fallback;
  let origin: string;
  let target: URL;
  try {
    origin = new URL(options.origin ?? PLACEHOLDER_ORIGIN).origin;
    // Only paths ("/…") or absolute URLs of our own origin; not "//host", "x:…", or relative "chat".
    if (!raw.startsWith("/") && !raw.startsWith(`${origin}/`) && raw !== origin) return fallback;
    if (raw.startsWith("//")) return fallback;
    target = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (target.origin !== origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "/.//evil.example" normalises to "//evil.example", which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
