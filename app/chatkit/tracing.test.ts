/**
 * The span tree of a chat turn, as an OTLP/HTTP collector receives it: the handler runs
 * in-process with the same registration as `next start` (registerTracing), exporting JSON to a
 * receiver on a local port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { readSse } from "@/e2e/support/sse";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import {
  OnDemandMetricReader,
  otlpAttr as attr,
  startOtlpReceiver,
  type OtlpReceiver,
  type OtlpSpan,
} from "@/e2e/support/otlp-receiver";
import { activeSpan, ModelCallSpan, registerTracing, withActiveSpan, withSpan } from "@/lib/observability/tracing";
import { trace, TraceFlags } from "@opentelemetry/api";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { getStripe } from "@/lib/billing/stripe-client";
import { POST as stripeWebhook } from "@/app/api/webhooks/stripe/route";

const reader = new OnDemandMetricReader();

type Point = { attributes: Record<string, unknown>; value: unknown };
async function points(name: string): Promise<Point[]> {
  const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
  return resourceMetrics.scopeMetrics.flatMap((s) =>
    s.metrics.filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as Point[]),
  );
}

useTestDatabase();
useOpenAIFake();
useStripeFake(stripeWebhook);

let receiver: OtlpReceiver;
let received: OtlpSpan[] = [];
let bodies: string[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  ({ spans: received, bodies } = receiver);
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "50",
  });
  expect(await registerTracing({ metricReader: reader })).toBe(true);
});

afterAll(() => receiver.close());

async function spansUntil(found: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !found(); i++) await new Promise((r) => setTimeout(r, 25));
}

/** One threads.create turn through the route, read to its end; returns the answer's request id. */
async function createThread(text: string, headers: Record<string, string> = {}): Promise<string | null> {
  const { POST } = await import("./route");
  const user = await createTestUser();
  const res = await POST(
    new Request("http://app.test/chatkit", {
      method: "POST",
      headers: { "content-type": "application/json", ...user.headers, ...headers },
      body: JSON.stringify({
        type: "threads.create",
        params: { input: { content: [{ type: "input_text", text }], attachments: [], inference_options: {} } },
      }),
    }),
    undefined,
  );
  await readSse(res);
  return res.headers.get("x-request-id");
}

describe("tracing a chat turn", () => {
  it("a turn exports its request's server span, the model call's GenAI span under it and the OpenAI HTTP call under that, with the request id and no user words", async () => {
    const words = "periwinkle-xylophone-secretword";
    const requestId = await createThread(`Hello ${words}`);
    const turnSpan = () => received.find((s) => s.name === "POST /chatkit" && attr(s, "app.request_id") === requestId);
    await spansUntil(() => !!turnSpan() && received.some((s) => s.name.startsWith("chat ")));

    const turn = turnSpan()!;
    expect(turn.parentSpanId ?? "").toBe(""); // the trace's root
    expect(turn.kind).toBe(2); // OTLP's SPAN_KIND_SERVER
    expect(attr(turn, "http.request.method")).toBe("POST");
    expect(attr(turn, "http.route")).toBe("/chatkit");
    expect(Number(attr(turn, "http.response.status_code"))).toBe(200);
    expect(attr(turn, "chatkit.request.type")).toBe("threads.create");
    expect(attr(turn, "chatkit.turn.outcome")).toBe("completed");
    expect(Number(attr(turn, "chatkit.turn.first_event_ms"))).toBeGreaterThanOrEqual(0);
    const model = received.find((s) => s.name.startsWith("chat ") && s.parentSpanId === turn.spanId);
    expect(model, JSON.stringify(received.map((s) => s.name))).toBeDefined();
    expect(attr(model!, "gen_ai.operation.name")).toBe("chat");
    expect(attr(model!, "gen_ai.request.model")).toBe(model!.name.slice("chat ".length));
    expect(Number(attr(model!, "gen_ai.usage.input_tokens"))).toBeGreaterThan(0);
    expect(Number(attr(model!, "gen_ai.usage.output_tokens"))).toBeGreaterThan(0);
    expect(attr(model!, "gen_ai.response.time_to_first_chunk")).toEqual(expect.any(Number));
    expect(attr(model!, "app.request_id")).toBe(requestId);
    const http = received.find((s) => s.parentSpanId === model!.spanId);
    expect(http?.name).toBe("POST /v1/responses");
    expect(attr(http!, "http.response.status_code")).toBe(200);
    expect(bodies.join("\n")).not.toContain(words);
  });

  it("a turn's database statements are spans under its request span, named by operation and table, without their SQL", async () => {
    const words = "marigold-quasar-secretword";
    const requestId = await createThread(words);
    const turn = () => received.find((s) => s.name === "POST /chatkit" && attr(s, "app.request_id") === requestId);
    const underTurn = (span: OtlpSpan) => {
      const root = turn();
      for (let s: OtlpSpan | undefined = span; s; s = received.find((p) => p.spanId === s!.parentSpanId))
        if (s.spanId === root?.spanId) return true;
      return false;
    };
    const statements = () => received.filter((s) => attr(s, "db.system.name") === "postgresql" && underTurn(s));
    await spansUntil(() => statements().some((s) => attr(s, "db.operation.name") === "INSERT"));

    const inserts = statements().filter((s) => attr(s, "db.operation.name") === "INSERT");
    expect(inserts.map((s) => s.name)).toContain("INSERT chatkit_threads");
    for (const s of statements()) {
      expect(s.name).toMatch(/^[A-Z]+( \w+)?$/);
      expect(s.attributes.map((a) => a.key)).not.toContain("db.query.text");
    }
    expect(bodies.join("\n")).not.toContain(words);
  });

  it("turns, their first-token latency, model errors and the job queues are counted as metrics", async () => {
    const before = await points("chat.turns");
    const count = (list: Point[], outcome: string) =>
      Number(list.find((p) => p.attributes.outcome === outcome)?.value ?? 0);
    await createThread("hello");
    await createThread("[fault:failed] hello");
    // The access line (and the turn's metrics) come when the stream's store writes are done.
    for (let i = 0; i < 100 && count(await points("chat.turns"), "model_error") === count(before, "model_error"); i++)
      await new Promise((r) => setTimeout(r, 20));
    const after = await points("chat.turns");
    expect(count(after, "completed") - count(before, "completed")).toBe(1);
    expect(count(after, "model_error") - count(before, "model_error")).toBe(1);
    const errors = await points("chat.model.errors");
    expect(errors.find((p) => p.attributes["error.type"] === "response_failed")).toBeDefined();
    const latency = await points("chat.turn.time_to_first_token");
    expect((latency[0]?.value as { count: number }).count).toBeGreaterThanOrEqual(2);
    const depth = await points("jobs.queue.depth");
    expect(depth.map((p) => p.attributes.queue).sort()).toEqual(["account_cleanup", "email"]);
  });
});

describe("tracing upstream calls", () => {
  it("a Stripe call is a client span under the active span, named by method and path, without its query string", async () => {
    const email = "stripe-span-secret@example.com";
    await withSpan("test.stripe", {}, async () => {
      await getStripe().customers.list({ email, limit: 1 });
    });
    const parent = () => received.find((s) => s.name === "test.stripe");
    const call = () => received.find((s) => s.parentSpanId === parent()?.spanId && s.name === "GET /v1/customers");
    await spansUntil(() => !!call());

    expect(call(), JSON.stringify(received.map((s) => s.name))).toBeDefined();
    expect(attr(call()!, "http.request.method")).toBe("GET");
    expect(attr(call()!, "url.template")).toBe("/v1/customers");
    expect(Number(attr(call()!, "http.response.status_code"))).toBe(200);
    expect(bodies.join("\n")).not.toContain("stripe-span-secret");
  });

  it("an upstream call that fails is a failed client span with its status as the error class, each attempt its own", async () => {
    await createThread("[fault:http500] hello");
    const failedCalls = () =>
      received.filter((s) => s.name === "POST /v1/responses" && attr(s, "http.response.status_code") === 500);
    await spansUntil(() => failedCalls().length >= 2);

    // The OpenAI client retries a 500 once (OPENAI_MAX_RETRIES): two attempts, two spans.
    expect(failedCalls()).toHaveLength(2);
    for (const span of failedCalls()) {
      expect(attr(span, "error.type")).toBe("500");
      expect(span.status?.code).toBe(2); // OTLP's STATUS_CODE_ERROR
    }
  });

  it("a request whose caller's trace is sampled joins it: the server span is the caller's span's child", async () => {
    const traceId = "2af7651916cd43dd8448eb211c80319c";
    const requestId = await createThread("joined", { traceparent: `00-${traceId}-d7ad6b7169203331-01` });
    const turn = () => received.find((s) => s.name === "POST /chatkit" && attr(s, "app.request_id") === requestId);
    await spansUntil(() => !!turn());
    expect(turn()!.traceId).toBe(traceId);
    expect(turn()!.parentSpanId).toBe("d7ad6b7169203331");
    expect(received.some((s) => s.traceId === traceId && s.name === "POST /v1/responses")).toBe(true);
  });

  it("inside a trace that is not sampled, a whole chat turn and a Stripe call export nothing and still work", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const unsampled = trace.wrapSpanContext({ traceId, spanId: "b7ad6b7169203331", traceFlags: TraceFlags.NONE });
    await withActiveSpan(unsampled, async () => {
      await getStripe().customers.list({ limit: 1 });
    });
    const requestId = await createThread("not sampled", { traceparent: `00-${traceId}-b7ad6b7169203331-00` });
    expect(requestId).toBeTruthy();
    // A later sampled span shows the exporter has caught up with everything before it.
    await withSpan("test.marker", {}, async () => undefined);
    await spansUntil(() => received.some((s) => s.name === "test.marker"));
    expect(received.filter((s) => s.traceId === traceId)).toEqual([]);
  });

  it("under a span that is not sampled, our steps start no span of their own", async () => {
    const unsampled = trace.wrapSpanContext({
      traceId: "1af7651916cd43dd8448eb211c80319c",
      spanId: "c7ad6b7169203331",
      traceFlags: TraceFlags.NONE,
    });
    await withActiveSpan(unsampled, async () => {
      expect(activeSpan()).toBe(unsampled);
      expect(new ModelCallSpan("gpt-test").span.isRecording()).toBe(false);
      await withSpan("test.inner", {}, async () => expect(activeSpan()).toBe(unsampled));
    });
    await withSpan("test.outer", {}, async () => expect(activeSpan()?.isRecording()).toBe(true));
  });
});
