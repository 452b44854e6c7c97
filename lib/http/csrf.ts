/**
 * CSRF defence for every cookie-authenticated write, in one place (proxy.ts runs it before the
 * routes). Browsers say where a request comes from: `Sec-Fetch-Site` and `Origin`. A write
 * (POST, PUT, PATCH, DELETE) that a browser sends from another site — a cross-site page, or a
 * sibling host of the same site, which SameSite=Lax cookies do not stop — is refused with a 403
 * JSON answer, unless its Origin is one the configuration trusts (our own, the CORS list).
 * Clients that are not browsers send neither header and are unaffected; bearer-token requests are
 * never cookie-authenticated and pass untouched. With a session cookie, a body sent to a JSON
 * endpoint must say it is JSON: the content types a plain HTML form or a no-cors fetch can send
 * (form, multipart, text/plain) are refused with 415.
 *
 * Left out: Apple's sign-in callback (a cross-site form POST by design, protected by next-auth's
 * state and PKCE checks), the Stripe webhook (signed), and the content-type rule for next-auth's
 * own form endpoints and the attachment uploads (multipart or raw bytes by design).
 */
import { isAllowedOrigin } from "./cors";
import { forbidden, unsupportedMediaType } from "./errors";
import { errorResponse } from "./respond";
import { SESSION_COOKIE_PATTERN } from "./session-cookie-name";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const CROSS_SITE_EXEMPT = [/^\/api\/auth\/callback\//, /^\/api\/webhooks\//];
const NOT_JSON_ENDPOINTS = [/^\/api\/auth\//, /^\/chatkit\/attachments\/[^/]+\/upload$/, /^\/api\/webhooks\//];

function hasBearer(request: Request): boolean {
  return /^Bearer\s+\S/i.test(request.headers.get("authorization") ?? "");
}

function trustedOrigin(origin: string, request: Request): boolean {
  if (isAllowedOrigin(origin)) return true;
  // The host the browser itself addressed (a browser never lets a page choose the Host header).
  const host = request.headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding");
}

function isJsonType(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** A 403/415 JSON answer for a write that fails the checks above, else undefined. */
export function rejectForgedWrite(request: Request): Response | undefined {
  if (SAFE_METHODS.has(request.method) || hasBearer(request)) return undefined;
  const path = new URL(request.url).pathname;
  if (!CROSS_SITE_EXEMPT.some((p) => p.test(path))) {
    const origin = request.headers.get("origin");
    const site = request.headers.get("sec-fetch-site");
    const trusted = origin !== null && origin !== "null" && trustedOrigin(origin, request);
    if (!trusted && (site === "cross-site" || site === "same-site" || origin !== null)) {
      return errorResponse(forbidden("Cross-site requests may not change anything here", "cross_site_request_refused"));
    }
  }
  const cookie = request.headers.get("cookie") ?? "";
  if (
    SESSION_COOKIE_PATTERN.test(cookie) &&
    hasBody(request) &&
    !NOT_JSON_ENDPOINTS.some((p) => p.test(path)) &&
    !isJsonType(request.headers.get("content-type"))
  ) {
    return errorResponse(unsupportedMediaType("This endpoint accepts only application/json request bodies"));
  }
  return undefined;
}
