/**
 * Runs before the API routes: refuses paths Next cannot decode or would resolve elsewhere
 * (see lib/http/path-guard.ts) with our JSON 400 instead of a framework 500 or an HTML page,
 * and cross-site or non-JSON cookie-authenticated writes (lib/http/csrf.ts) with 403/415.
 */
import { rejectForgedWrite } from "@/lib/http/csrf";
import { rejectMalformedPath } from "@/lib/http/path-guard";

export function proxy(request: Request): Response | undefined {
  return rejectMalformedPath(request) ?? rejectForgedWrite(request);
}

// `/chatkit` itself is left out: the streaming hot path runs the cross-site check in its handler
// (lib/assistant/handle-request.ts), saving the proxy's cost per request; its subpaths stay.
export const config = { matcher: ["/api/:path*", "/chatkit/:path+", "/facts/:path*", "/health"] };
