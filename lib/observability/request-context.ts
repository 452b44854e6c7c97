/**
 * What the log lines of one request share: its id, route and (once known) user id, plus what a
 * chat turn learns on its way (request type, first-event time, outcome). Held in an
 * AsyncLocalStorage store so deep code logs without passing a logger along.
 *
 * The request's record holds strings and numbers (and, while traced, its server span), never the
 * request, a response, a stream or a closure: a web stream created inside the request keeps its
 * async context (and so this store) alive as long as the stream lives, so whatever the store held
 * would live that long too.
 *
 * The same store carries the active trace context while tracing is on (tracing.ts): on Node 20
 * and 22 every AsyncLocalStorage in use adds work to every promise the process makes, so traces
 * ride on this one instead of bringing their own.
 */
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, Span } from "@opentelemetry/api";

export type TurnOutcome = "completed" | "cancelled" | "model_error" | "quota_refused" | "error";

export type RequestContext = {
  readonly requestId: string;
  readonly method: string;
  /** The path without its query (a query may carry a token). */
  readonly route: string;
  readonly startedAt: number;
  userId?: string;
  /** POST /chatkit: the ChatKit request type. */
  chatkitType?: string;
  /** Milliseconds from the request's start to the first event the model's reply produced. */
  firstEventMs?: number;
  outcome?: TurnOutcome;
  /** For a failed turn: a short class of the failure (e.g. `timeout`, `http_429`), never its text. */
  errorClass?: string;
  /** While tracing: the request's server span, ended with its access line (tracing.ts). */
  span?: Span;
};

/** What the store holds: this request's record, and the active trace context when tracing is on. */
export type AsyncFrame = { readonly request?: RequestContext; readonly trace?: Context };

// One store per process, on globalThis: Next bundles the instrumentation hook and the routes apart,
// each with its own copy of this module, and the trace context must be the same in both.
const STORAGE = Symbol.for("app.request-context.storage");
type WithStorage = typeof globalThis & { [STORAGE]?: AsyncLocalStorage<AsyncFrame> };
export const frameStorage: AsyncLocalStorage<AsyncFrame> = ((globalThis as WithStorage)[STORAGE] ??=
  new AsyncLocalStorage<AsyncFrame>());

export function newRequestContext(request: Request, requestId: string): RequestContext {
  return {
    requestId,
    method: request.method,
    route: new URL(request.url).pathname.slice(0, 200),
    startedAt: performance.now(),
    // Every field from the start, set or not: one object shape whether the request is traced or not.
    userId: undefined,
    chatkitType: undefined,
    firstEventMs: undefined,
    outcome: undefined,
    errorClass: undefined,
    span: undefined,
  };
}

/** Runs `fn` as the request's: its record, and `trace` (its server span's context) or the trace context around it. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T, trace?: Context): T {
  return frameStorage.run({ request: context, trace: trace ?? frameStorage.getStore()?.trace }, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return frameStorage.getStore()?.request;
}

/** Records facts about the current request for its log lines (a no-op outside a request). */
export function noteRequest(
  facts: Partial<Pick<RequestContext, "userId" | "chatkitType" | "outcome" | "errorClass">>,
): void {
  const context = frameStorage.getStore()?.request;
  if (context) Object.assign(context, facts);
}

/** The first event of a chat turn's reply: recorded once. */
export function noteFirstEvent(): void {
  const context = frameStorage.getStore()?.request;
  if (context && context.firstEventMs === undefined)
    context.firstEventMs = Math.round(performance.now() - context.startedAt);
}

/** A failure's outcome, unless the code that refused or failed already said which (e.g. a quota refusal). */
export function noteOutcomeIfUnset(outcome: TurnOutcome, errorClass: string): void {
  const context = frameStorage.getStore()?.request;
  if (context && context.outcome === undefined) Object.assign(context, { outcome, errorClass });
}
