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
 * A page gets its request id (lib/observability/request-id.ts) in `x-request-id` here; an API
 * request that passes goes on untouched (route() gives it its id, answer header and access line:
 * forwarding a copy of its headers from here cost every request), and a refusal is answered here
 * with the id in its body, its header and its access line.
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
  if (!API_PATH.test(new URL(request.url).pathname))
    return withPageNonce(request, { dev: isDevelopmentServer(), requestId: requestIdFrom(request.headers) });
  // Most API requests pass: they go on untouched (route() gives them their id and access line).
  if (!refuse(request)) return NextResponse.next();
  // A refusal is answered here: its body, header and access line carry the request's id.
  const context = newRequestContext(request, requestIdFrom(request.headers));
  return runWithRequestContext(context, () => {
    const refusal = refuse(request)!;
    logAccess(context, refusal.status);
    return withHeader(refusal, REQUEST_ID_HEADER, context.requestId);
  });
}

function refuse(request: Request): Response | undefined {
  return rejectMalformedPath(request) ?? rejectWrongMethod(request, allowedMethods) ?? rejectForgedWrite(request);
}

// Every path but static build assets and `/chatkit` itself: the streaming hot path runs the
// cross-site check in its handler (lib/assistant/handle-request.ts), saving the proxy's cost per
// request; its subpaths stay.
export const config = { matcher: ["/((?!_next/static/|_next/image|chatkit$).*)"] };
