/** Turning results and errors into responses: the error contract of the API. */
import { ZodError } from "zod";
import { ConfigError } from "@/lib/env";
import { AppError, badRequest, serviceUnavailable, validationError } from "./errors";
import { isDatabaseUnavailable, isUnstorableText } from "./db-errors";
import { zodIssues } from "./validate";
import { withCors } from "./cors";

export function json(body: unknown, init: ResponseInit = {}): Response {
  return Response.json(body, init);
}

export function empty(status: 202 | 204): Response {
  return new Response(null, { status });
}

function isClientAbort(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === "ECONNRESET" && e.message === "aborted";
}

function clientClosed(): Response {
  return Response.json({ detail: "The client closed the request", code: "request_aborted" }, { status: 400 });
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(zodIssues(err));
  // A misconfigured deployment says which variable to fix (names only, never values).
  if (err instanceof ConfigError) return new AppError(503, "misconfigured", err.message);
  if (isDatabaseUnavailable(err)) return serviceUnavailable();
  if (isUnstorableText(err))
    return badRequest(
      "The request contains characters that cannot be stored (NUL or unpaired surrogates)",
      "unsupported_characters",
    );
  return new AppError(500, "internal_error", "Internal server error");
}

export function errorResponse(err: unknown): Response {
  const appError = toAppError(err);
  if (err instanceof ConfigError) console.error(`[config] ${err.message}`);
  else if (appError.status >= 500 && !(err instanceof AppError)) {
    // Our own fault: log it whole, answer without internals.
    console.error("[http] unhandled error", err);
  }
  return Response.json(
    { detail: appError.detail, code: appError.code, ...appError.extra },
    { status: appError.status, headers: appError.headers },
  );
}

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response> | Response;

/** Wraps a route handler: every thrown error becomes a JSON answer, CORS headers are added. */
export function route<Ctx = unknown>(handler: Handler<Ctx>): Handler<Ctx> {
  return async (request, context) => {
    let response: Response;
    try {
      response = await handler(request, context);
    } catch (err) {
      // The client went away mid-request: nobody reads the answer, and it is not our fault.
      response = request.signal.aborted || isClientAbort(err) ? clientClosed() : errorResponse(err);
    }
    return withCors(request, response);
  };
}
