/**
 * Opening and watching the model's Responses stream: the client's abort (stop button) and an
 * idle timeout both cancel the HTTP call; terminal failure events become errors, so a turn
 * always ends instead of hanging or stopping silently.
 */
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

async function* watch(
  stream: AsyncIterable<ResponseStreamEvent>,
  controller: AbortController,
  idleMs: number,
  cleanup: () => void,
  callerAborted: () => boolean,
): AsyncGenerator<ResponseStreamEvent> {
  let idle = false;
  const timer = setTimeout(() => {
    idle = true;
    controller.abort();
  }, idleMs);
  let finished = false;
  try {
    for await (const event of stream) {
      timer.refresh(); // cheap re-arm per event
      if (event.type === "response.completed" || event.type === "response.incomplete") finished = true;
      if (event.type === "response.failed") {
        throw new ModelFailure(`model response failed: ${event.response.error?.message ?? "unknown error"}`);
      }
      if (event.type === "error") throw new ModelFailure(`model stream error: ${event.message}`);
      yield event;
    }
    // An aborted or cut stream can end quietly: without a terminal event the answer is incomplete.
    if (!finished && !callerAborted()) {
      throw new ModelFailure(idle ? `model stream idle for ${idleMs} ms` : "model stream ended before the response completed");
    }
  } catch (err) {
    if (idle) throw new ModelFailure(`model stream idle for ${idleMs} ms`, { cause: err });
    throw err;
  } finally {
    clearTimeout(timer);
    cleanup();
  }
}
