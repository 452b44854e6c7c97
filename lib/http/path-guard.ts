/**
 * A path segment with broken percent-encoding (`%zz`, `%ff`, an encoded lone surrogate) makes
 * the framework's parameter decoding throw a bare text 500 before any handler runs. It is the
 * client's mistake: answer a 400 in our JSON error shape instead. (Encoded dot segments need
 * nothing here: URL parsing resolves `%2e%2e` before any of our code sees the path.)
 */
import { errorResponse } from "./respond";
import { badRequest } from "./errors";

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** A 400 answer for a request whose path cannot be routed as written, else undefined. */
export function rejectMalformedPath(request: Request): Response | undefined {
  const raw = request.url.replace(/^[a-z]+:\/\/[^/]+/i, "").split(/[?#]/)[0] ?? "";
  for (const segment of raw.split("/")) {
    if (!decodes(segment))
      return errorResponse(badRequest("The request path has malformed percent-encoding", "invalid_path"));
  }
  return undefined;
}
