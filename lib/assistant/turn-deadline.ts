/**
 * A chat turn's deadline: an abort signal that fires after `ms`, and `clear()` for when the turn
 * is over.
 *
 * Not `AbortSignal.timeout()`: on Node 20, Node keeps that signal's timer in a
 * FinalizationRegistry until the signal is collected, and the timer carries the async context it
 * was made in (the request's, which through Next's `after()` bookkeeping reaches the response,
 * the handler's closures and so the signal). The registry's hold on the timer therefore keeps the
 * signal alive for ever, and with it every request that made one: about 40 KB a turn, until the
 * heap runs out. A timer of our own, cleared when the turn ends, holds the request only while the
 * turn runs.
 */
import "server-only";

export type TurnDeadline = { readonly signal: AbortSignal; clear(): void };

export function startTurnDeadline(ms: number): TurnDeadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("The turn ran out of time.", "TimeoutError")), ms);
  // A turn never keeps the process up on its own (e.g. during a graceful shutdown).
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
