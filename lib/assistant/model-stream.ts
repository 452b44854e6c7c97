/**
 * Opening and watching the model's Responses stream: the client's abort (stop button) and an
 * idle timeout both cancel the HTTP call; terminal failure events become errors, so a turn
 * always ends instead of hanging or stopping silently.
 */
import "server-only";
import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { getEnv } from "@/lib/env";
import { ModelCallSpan, withActiveSpan } from "@/lib/observability/tracing";
import { TOOLS } from "./tools";

/** How a model stream failed, for logs and metrics (the message may quote the upstream's words). */
export type ModelFailureKind = "stream_idle" | "stream_cut" | "response_failed" | "stream_error";

export class ModelFailure extends Error {
  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ModelFailure";
  }
}

/** A short class of a model call's failure for logs and metrics: never its message. */
export function modelErrorClass(err: unknown): string {
  if (err instanceof ModelFailure) return err.kind;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return "timeout";
  if (err instanceof OpenAI.APIConnectionError) return "connection";
  if (err instanceof OpenAI.APIError) return `http_${err.status ?? "unknown"}`;
  return err instanceof Error ? err.name : "unknown";
}

export type ModelCall = { instructions: string; input: ResponseInputItem[]; signal: AbortSignal };

export async function openModelStream(client: OpenAI, call: ModelCall): Promise<AsyncIterable<ResponseStreamEvent>> {
  const { model, streamIdleMs } = getEnv().openai;
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (call.signal.aborted) abort();
  else call.signal.addEventListener("abort", abort, { once: true });
  // The HTTP call's own span (fetch instrumentation) becomes a child of the model call's.
  const span = new ModelCallSpan(model);
  try {
    const stream = await withActiveSpan(span.span, () =>
      client.responses.create(
        { model, instructions: call.instructions, input: call.input, tools: TOOLS, stream: true, store: false },
        { signal: controller.signal },
      ),
    );
    return watch(
      stream,
      controller,
      streamIdleMs,
      () => call.signal.removeEventListener("abort", abort),
      () => call.signal.aborted,
      span,
    );
  } catch (err) {
    call.signal.removeEventListener("abort", abort);
    span.end(modelErrorClass(err));
    throw err;
  }
}

/**
 * The model stream with an idle timeout and failure checks. A plain iterator rather than an
 * async generator: it sits on the per-token path, where every extra promise hop costs.
 */
function watch(
  stream: AsyncIterable<ResponseStreamEvent>,
  controller: AbortController,
  idleMs: number,
  cleanup: () => void,
  callerAborted: () => boolean,
  span: ModelCallSpan,
): AsyncIterable<ResponseStreamEvent> {
  const inner = stream[Symbol.asyncIterator]();
  let idle = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    idle = true;
    controller.abort();
  }, idleMs);
  const stop = (failure?: string) => {
    if (!timer) return;
    clearTimeout(timer);
    timer = undefined;
    cleanup();
    span.end(failure ?? (finished || callerAborted() ? undefined : idle ? "stream_idle" : "stream_cut"));
  };
  const onEvent = (r: IteratorResult<ResponseStreamEvent>): IteratorResult<ResponseStreamEvent> => {
    if (r.done) {
      stop();
      // An aborted or cut stream can end quietly: without a terminal event the answer is incomplete.
      if (!finished && !callerAborted()) {
        throw idle
          ? new ModelFailure("stream_idle", `model stream idle for ${idleMs} ms`)
          : new ModelFailure("stream_cut", "model stream ended before the response completed");
      }
      return r;
    }
    timer?.refresh(); // cheap re-arm per event
    span.chunk();
    const event = r.value;
    if (event.type === "response.completed" || event.type === "response.incomplete") {
      finished = true;
      span.finished(event.response);
    } else if (event.type === "response.failed") {
      stop("response_failed");
      throw new ModelFailure(
        "response_failed",
        `model response failed: ${event.response.error?.message ?? "unknown error"}`,
      );
    } else if (event.type === "error") {
      stop("stream_error");
      throw new ModelFailure("stream_error", `model stream error: ${event.message}`);
    }
    return r;
  };
  const onError = (err: unknown): never => {
    stop(idle ? "stream_idle" : modelErrorClass(err));
    if (idle) throw new ModelFailure("stream_idle", `model stream idle for ${idleMs} ms`, { cause: err });
    throw err;
  };
  const iterator: AsyncIterator<ResponseStreamEvent> = {
    next: () => inner.next().then(onEvent, onError),
    return: async () => {
      stop();
      await inner.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
