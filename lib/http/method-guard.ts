/**
 * A method the path does not answer gets our JSON 405 with an `Allow` header, instead of the
 * framework's empty 405 (which names no allowed method). Which methods each path answers is
 * not known here: proxy.ts passes the registry's answer (lib/openapi/allowed-methods.ts).
 */
import { methodNotAllowed } from "./errors";
import { errorResponse, route } from "./respond";

export function rejectWrongMethod(
  request: Request,
  allowedMethods: (pathname: string) => readonly string[] | undefined,
): Response | undefined {
  const allowed = allowedMethods(new URL(request.url).pathname);
  if (!allowed || allowed.includes(request.method)) return undefined;
  return errorResponse(methodNotAllowed(request.method, allowed));
}

/** Marks a handler that only refuses its method (see `refuseWrongMethods`). */
export const REFUSES_METHOD = Symbol.for("app.http.refusesMethod");

/**
 * For a route the proxy does not run on (the `/chatkit` hot path): one handler to export under
 * every method the path does not answer, giving the same JSON 405 the proxy gives elsewhere.
 * It carries REFUSES_METHOD, so the registry check does not count it as a method served.
 */
export function refuseWrongMethods(
  pathname: string,
  allowedMethods: (pathname: string) => readonly string[] | undefined,
) {
  // Through route(): the refusal carries the request's id like every other answer.
  const handler = route((request: Request) =>
    errorResponse(methodNotAllowed(request.method, allowedMethods(pathname) ?? [])),
  );
  return Object.assign(handler, { [REFUSES_METHOD]: true as const });
}
