/**
 * Runs before the API routes: refuses paths Next cannot decode or would resolve elsewhere
 * (see lib/http/path-guard.ts) with our JSON 400 instead of a framework 500 or an HTML page.
 */
import { rejectMalformedPath } from "@/lib/http/path-guard";

export function proxy(request: Request): Response | undefined {
  return rejectMalformedPath(request);
}

export const config = { matcher: ["/api/:path*", "/chatkit/:path*", "/facts/:path*", "/health"] };
