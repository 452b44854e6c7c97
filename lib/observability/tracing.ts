/**
 * Traces (OpenTelemetry). Spans are made through the API alone: until a tracer provider is
 * registered (instrumentation-node.ts → registerTracing, only when an OTLP endpoint or a Vercel
 * trace drain is configured) every span here is a no-op and costs next to nothing.
 *
 * Attributes carry ids, names, counts and classes, never user content (messages, facts, emails).
 */
import "server-only";
import { context, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { hideNextFetchSpans, tracingSettings } from "@/lib/env";
import type { MetricReader } from "@opentelemetry/sdk-metrics";
import { currentRequestContext } from "./request-context";

const tracer = trace.getTracer("chatkit-facts");
// On globalThis: Next bundles instrumentation and the routes apart, each with its own copy of this module.
const REGISTERED = Symbol.for("app.tracing.registered");
type WithFlag = typeof globalThis & { [REGISTERED]?: boolean };

/** Whether spans are exported (for code that would rather skip a span's work than make a no-op one). */
export const tracingRegistered = (): boolean => (globalThis as WithFlag)[REGISTERED] === true;

/**
 * Registers @vercel/otel (OTLP export of spans, with the sampler of sampler.ts) and the metrics
 * (OTLP export every minute, or `metricReader` in tests) when telemetry is configured; else nothing.
 */
export async function registerTracing(options: { metricReader?: MetricReader } = {}): Promise<boolean> {
  const settings = tracingSettings();
  if (!settings.enabled) return false;
  const [
    { registerOTel },
    { PeriodicExportingMetricReader },
    { OTLPMetricExporter },
    { createInstruments },
    { readQueueState },
    { samplerFrom, WithoutNextBookkeeping },
    { RequestFrameContextManager },
  ] = await Promise.all([
    import("@vercel/otel"),
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
    import("./metrics"),
    import("@/lib/jobs/queue-state"),
    import("./sampler"),
    import("./context-manager"),
  ]);
  const metricReader =
    options.metricReader ??
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 60_000 });
  // No fetch instrumentation, ours or Next's: OpenAI and Stripe calls get their spans from http-spans.ts.
  hideNextFetchSpans();
  registerOTel({
    instrumentations: [],
    traceSampler: new WithoutNextBookkeeping(samplerFrom(settings)),
    contextManager: new RequestFrameContextManager(),
    serviceName: "chatkit-facts",
    attributesFromHeaders: { "app.request_id": "x-request-id" },
    metricReaders: [metricReader],
  });
  createInstruments(readQueueState);
  (globalThis as WithFlag)[REGISTERED] = true;
  return true;
}

/**
 * The active span when it is not being recorded (its trace was not sampled), else undefined.
 * Code that would start a child span uses this span instead: a child of an unsampled span is
 * never recorded, and skipping it saves the ids, attributes and context switch of a span nobody
 * will see. With no active span at all, a new span is a root and the sampler decides.
 */
export function unsampledParent(): Span | undefined {
  const parent = trace.getActiveSpan();
  return parent && !parent.isRecording() ? parent : undefined;
}

/** The current span (Next's route span under `next start`) gets the request's id. */
export function tagActiveSpan(requestId: string): void {
  trace.getActiveSpan()?.setAttribute("app.request_id", requestId);
}

/** Runs `fn` with `span` as the active span, so spans started inside become its children. */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  if (trace.getActiveSpan() === span) return fn(); // an unsampled parent standing in for its child
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** Runs `fn` in a span of its own (ended when it settles; an error marks it failed). */
export async function withSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  if (unsampledParent()) return fn();
  const span = tracer.startSpan(name, { attributes });
  try {
    return await withActiveSpan(span, fn);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute("error.type", err instanceof Error ? err.name : "unknown");
    throw err;
  } finally {
    span.end();
  }
}

/** A span for one POST /chatkit request, ended by `endChatSpan` when its answer (or stream) is done. */
export function startChatSpan(): Span {
  const skipped = unsampledParent();
  if (skipped) return skipped;
  const requestId = currentRequestContext()?.requestId;
  return tracer.startSpan("chatkit.request", {
    kind: SpanKind.INTERNAL,
    attributes: requestId ? { "app.request_id": requestId } : {},
  });
}

export function endChatSpan(
  span: Span,
  facts: { type?: string; outcome?: string; errorClass?: string; firstEventMs?: number },
): void {
  if (facts.type) {
    span.updateName(`chatkit ${facts.type}`);
    span.setAttribute("chatkit.request.type", facts.type);
  }
  if (facts.outcome) span.setAttribute("chatkit.turn.outcome", facts.outcome);
  if (facts.errorClass) span.setAttribute("error.type", facts.errorClass);
  if (facts.firstEventMs !== undefined) span.setAttribute("chatkit.turn.first_event_ms", facts.firstEventMs);
  if (facts.outcome && facts.outcome !== "completed" && facts.outcome !== "cancelled")
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The model call's span, named and described by OpenTelemetry's GenAI semantic conventions. */
export class ModelCallSpan {
  readonly span: Span;
  private readonly started = performance.now();
  private firstChunkSeen = false;

  constructor(model: string) {
    const requestId = currentRequestContext()?.requestId;
    this.span =
      unsampledParent() ??
      tracer.startSpan(`chat ${model}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": model,
          ...(requestId ? { "app.request_id": requestId } : {}),
        },
      });
  }

  /** Time to the first byte of the answer: once per call (a boolean test per event after that). */
  chunk(): void {
    if (this.firstChunkSeen) return;
    this.firstChunkSeen = true;
    const ms = performance.now() - this.started;
    this.span.setAttribute("gen_ai.response.time_to_first_chunk", ms / 1000);
    this.span.addEvent("gen_ai.first_chunk");
  }

  finished(response: {
    id?: string;
    model?: string;
    usage?: { input_tokens?: number; output_tokens?: number } | null;
  }): void {
    const { span } = this;
    if (response.id) span.setAttribute("gen_ai.response.id", response.id);
    if (response.model) span.setAttribute("gen_ai.response.model", response.model);
    if (typeof response.usage?.input_tokens === "number")
      span.setAttribute("gen_ai.usage.input_tokens", response.usage.input_tokens);
    if (typeof response.usage?.output_tokens === "number")
      span.setAttribute("gen_ai.usage.output_tokens", response.usage.output_tokens);
  }

  end(errorClass?: string): void {
    if (errorClass) {
      this.span.setAttribute("error.type", errorClass);
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}
