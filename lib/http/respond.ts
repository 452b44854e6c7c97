/** Turning results and errors into responses: the error contract of the API. */
import { ZodError } from "zod";
import { ConfigError } from "@/lib/env";
import { AppError, badRequest, serviceUnavailable, validationError } from "./errors";
import { isDatabaseUnavailable, isUnstorableText } from "./db-errors";
import { zodIssues } from "./validate";
import { withCors } from "./cors";
import { logger } from "@/lib/observability/logger";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/observability/request-id";
import { endRequestSpan, startRequestSpan } from "@/lib/observability/tracing";
import { keepAlive } from "@/lib/jobs/after-response";
import {
  currentRequestContext,
  newRequestContext,
  runWithRequestContext,
  type RequestContext,
} from "@/lib/observability/request-context";

const log = logger.child({ component: "http" });

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

/** The current request's id for an error body (every JSON error carries it). */
function requestIdField(): { request_id?: string } {
  const id = currentRequestContext()?.requestId;
  return id ? { request_id: id } : {};
}

function clientClosed(): Response {
  return Response.json(
    { detail: "The client closed the request", code: "request_aborted", ...requestIdField() },
    { status: 400 },
  );
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
  if (err instanceof ConfigError) log.error({ code: appError.code }, `configuration: ${err.message}`);
  else if (appError.status >= 500 && !(err instanceof AppError)) {
    // Our own fault: log it whole, answer without internals.
    log.error({ err, code: appError.code }, "unhandled error");
  }
  return Response.json(
    { detail: appError.detail, code: appError.code, ...appError.extra, ...requestIdField() },
    { status: appError.status, headers: appError.headers },
  );
}

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response> | Response;

/** Sets a header on a response whose headers may be immutable (e.g. one from fetch). */
export function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/**
 * The access line of a request: one per request, with status and duration, and the end of its
 * server span (returning that span's export when the caller must keep the function up for it). A
 * streamed answer (SSE) logs it when its stream has ended (`logAccess` from the handler), so it
 * can say how the turn went; `deferred` marks such a response.
 */
export function logAccess(
  context: RequestContext,
  status: number,
  extra: Record<string, unknown> = {},
): Promise<void> | undefined {
  const durationMs = Math.round(performance.now() - context.startedAt);
  const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
  const chatkit = context.chatkitType ? { chatkit_type: context.chatkitType } : {};
  log[level]({ method: context.method, status, duration_ms: durationMs, ...chatkit, ...extra }, "request");
  return endRequestSpan(context, status);
}

const deferred = new WeakSet<Response>();

/** Marks a response whose access line its handler writes later (when its stream ends). */
export function deferAccessLog(response: Response): Response {
  deferred.add(response);
  return response;
}

/**
 * Wraps a route handler: the request gets its id (kept from `x-request-id`/`x-vercel-id`, else
 * new; proxy.ts has already put one on every request it runs for), every thrown error becomes a
 * JSON answer carrying it, the answer gets `x-request-id` and CORS headers, and one access line
 * is logged; while tracing, the request is a server span, ended with that line.
 */
export function route<Ctx = unknown>(handler: Handler<Ctx>): Handler<Ctx> {
  return (request, ctx) => {
    const context = newRequestContext(request, requestIdFrom(request.headers));
    return runWithRequestContext(
      context,
      async () => {
        let response: Response;
        try {
          response = await handler(request, ctx);
        } catch (err) {
          // The client went away mid-request: nobody reads the answer, and it is not our fault.
          response = request.signal.aborted || isClientAbort(err) ? clientClosed() : errorResponse(err);
        }
        if (!deferred.has(response)) {
          const exported = logAccess(context, response.status);
          if (exported) keepAlive("trace export", exported);
        }
        return withCors(request, withHeader(response, REQUEST_ID_HEADER, context.requestId));
      },
      startRequestSpan(request, context),
    );
  };
}
