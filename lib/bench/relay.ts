/**
 * The benchmark's yardsticks, served by the same app only when BENCH_ROUTES=1: a bare relay
 * of the model's Responses stream (SDK parse + re-serialise, no ChatKit processing) and a
 * trivial JSON answer. They show what our ChatKit path costs on top of the practical limit.
 */
import "server-only";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { notFound, parseJson } from "@/lib/http";
import { requireOpenAI } from "@/lib/openai";

const encoder = new TextEncoder();
const relaySchema = z.object({ text: z.string().min(1).max(10_000) });

export function requireBenchRoutes(): void {
  if (!getEnv().benchRoutes) throw notFound();
}

export async function relayModelStream(request: Request): Promise<Response> {
  requireBenchRoutes();
  const { text } = await parseJson(request, relaySchema);
  const client = requireOpenAI();
  const stream = await client.responses.create(
    { model: getEnv().openai.model, input: text, stream: true, store: false },
    { signal: request.signal },
  );
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for await (const event of stream) controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      stream.controller.abort();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" },
  });
}
