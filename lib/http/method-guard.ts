/**
 * A method the path does not answer gets our JSON 405 with an `Allow` header, instead of the
 * framework's empty 405 (which names no allowed method). Which methods each path answers is
 * not known here: proxy.ts passes the registry's answer (lib/openapi/allowed-methods.ts).
 */
import { methodNotAllowed } from "./errors";
import { errorResponse } from "./respond";

export function rejectWrongMethod(
  request: Request,
  allowedMethods: (pathname: string) => readonly string[] | undefined,
): Response | undefined {
  const allowed = allowedMethods(new URL(request.url).pathname);
  if (!allowed || allowed.includes(request.method)) return undefined;
  return errorResponse(methodNotAllowed(request.method, allowed));
}
