/**
 * Opening and watching the model's Responses stream: the client's abort (stop button) and an
 * idle timeout both cancel the HTTP call; terminal failure events become errors, so a turn
 * always ends instead of hanging or stopping silently.
 */
import "server-only";
import type OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { getEnv } from "@/lib/env";
import { TOOLS } from "./tools";

export class ModelFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelFailure";
  }
}

export type ModelCall = { instructions: string; input: ResponseInputItem[]; signal: AbortSignal };

export async function openModelStream(client: OpenAI, call: ModelCall): Promise<AsyncIterable<ResponseStreamEvent>> {
  const { model, streamIdleMs } = getEnv().openai;
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (call.signal.aborted) abort();
  else call.signal.addEventListener("abort", abort, { once: true });
  try {
    const stream = await client.responses.create(
      { model, instructions: call.instructions, input: call.input, tools: TOOLS, stream: true, store: false },
      { signal: controller.signal },
    );
    return watch(
      stream,
      controller,
      streamIdleMs,
      () => call.signal.removeEventListener("abort", abort),
      () => call.signal.aborted,
    );
  } catch (err) {
    call.signal.removeEventListener("abort", abort);
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
): AsyncIterable<ResponseStreamEvent> {
  const inner = stream[Symbol.asyncIterator]();
  let idle = false;
  let finished = false;
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    idle = true;
    controller.abort();
  }, idleMs);
  const stop = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = undefined;
    cleanup();
  };
  const onEvent = (r: IteratorResult<ResponseStreamEvent>): IteratorResult<ResponseStreamEvent> => {
    if (r.done) {
      stop();
      // An aborted or cut stream can end quietly: without a terminal event the answer is incomplete.
      if (!finished && !callerAborted()) {
        throw new ModelFailure(
          idle ? `model stream idle for ${idleMs} ms` : "model stream ended before the response completed",
        );
      }
      return r;
    }
    timer?.refresh(); // cheap re-arm per event
    const event = r.value;
    if (event.type === "response.completed" || event.type === "response.incomplete") finished = true;
    else if (event.type === "response.failed") {
      stop();
      throw new ModelFailure(`model response failed: ${event.response.error?.message ?? "unknown error"}`);
    } else if (event.type === "error") {
      stop();
      throw new ModelFailure(`model stream error: ${event.message}`);
    }
    return r;
  };
  const onError = (err: unknown): never => {
    stop();
    if (idle) throw new ModelFailure(`model stream idle for ${idleMs} ms`, { cause: err });
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
