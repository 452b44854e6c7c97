/**
 * Runs before every route but static build assets and `/chatkit` (see the matcher).
 *
 * API paths: refuses paths Next cannot decode or would resolve elsewhere (lib/http/path-guard.ts)
 * with our JSON 400 instead of a framework 500 or an HTML page, a method the path does not answer
 * with a JSON 405 and `Allow` (lib/http/method-guard.ts, from the OpenAPI registry), and
 * cross-site or non-JSON cookie-authenticated writes (lib/http/csrf.ts) with 403/415.
 *
 * Everything else is a page: it gets a Content-Security-Policy with a fresh nonce (lib/csp/page-csp.ts).
 *
 * Every request leaves here with its id (lib/observability/request-id.ts) in `x-request-id`, on the
 * request passed on (route handlers read it) and on the response; a refusal's body carries it too.
 */
import { rejectForgedWrite } from "@/lib/http/csrf";
import { rejectWrongMethod } from "@/lib/http/method-guard";
import { withPageNonce } from "@/lib/csp/page-csp";
import { rejectMalformedPath } from "@/lib/http/path-guard";
import { isDevelopmentServer } from "@/lib/env";
import { allowedMethods } from "@/lib/openapi/allowed-methods";
import { logAccess, withHeader } from "@/lib/http/respond";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/observability/request-id";
import { newRequestContext, runWithRequestContext } from "@/lib/observability/request-context";
import { NextResponse } from "next/server";

const API_PATH = /^\/(api|chatkit|facts|health)(\/|$)/;

export function proxy(request: Request): Response {
  const requestId = requestIdFrom(request.headers);
  if (!API_PATH.test(new URL(request.url).pathname))
    return withPageNonce(request, { dev: isDevelopmentServer(), requestId });
  const context = newRequestContext(request, requestId);
  const refusal = runWithRequestContext(
    context,
    () => rejectMalformedPath(request) ?? rejectWrongMethod(request, allowedMethods) ?? rejectForgedWrite(request),
  );
  if (refusal) {
    runWithRequestContext(context, () => logAccess(context, refusal.status));
    return withHeader(refusal, REQUEST_ID_HEADER, requestId);
  }
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  return NextResponse.next({ request: { headers } });
}

// Every path but static build assets and `/chatkit` itself: the streaming hot path runs the
// cross-site check in its handler (lib/assistant/handle-request.ts), saving the proxy's cost per
// request; its subpaths stay.
export const config = { matcher: ["/((?!_next/static/|_next/image|chatkit$).*)"] };
