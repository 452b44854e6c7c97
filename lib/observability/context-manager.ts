/**
 * OpenTelemetry's context manager, kept in the request-context store (request-context.ts) rather
 * than in an AsyncLocalStorage of its own: on Node 20 and 22 each store in use is copied onto
 * every promise and callback the process creates, and a chat turn creates thousands. Measured
 * with the bench's profile, OpenTelemetry's own store cost about 0.1 ms of CPU per short turn.
 *
 * Entering a trace context keeps the request's record, and entering a request keeps the trace
 * context (runWithRequestContext), so neither hides the other.
 */
import "server-only";
import { ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";
import { frameStorage } from "./request-context";

export class RequestFrameContextManager implements ContextManager {
  active(): Context {
    return frameStorage.getStore()?.trace ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const frame = { request: frameStorage.getStore()?.request, trace: context };
    return thisArg === undefined
      ? frameStorage.run(frame, fn, ...args)
      : frameStorage.run(frame, () => fn.apply(thisArg, args));
  }

  /**
   * A function bound to `context` runs in it wherever it is called. Only functions: binding an
   * EventEmitter's listeners is for instrumentations of Node's modules, which we do not register.
   */
  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target;
    const run = (thisArg: unknown, args: unknown[]) =>
      this.with(context, () => (target as (...a: unknown[]) => unknown).apply(thisArg, args));
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as T;
  }

  enable(): this {
    return this;
  }

  /** Nothing to undo: the store belongs to the request context and outlives tracing. */
  disable(): this {
    return this;
  }
}
