/**
 * Traces (OpenTelemetry). Our own spans only: a server span for each API request (route() in
 * lib/http/respond.ts), the model call, each OpenAI and Stripe call, each database statement, and
 * webhook handling and jobs. Until registerTracing has run (instrumentation-node.ts, only when an
 * OTLP endpoint or a Vercel trace drain is configured) none is made and each costs one test.
 *
 * The tracer is ours (lean-tracer.ts), and not registered globally: a global tracer provider
 * turns on Next's own tracing for every request, sampled or not, about eight spans per request,
 * each with a context switch and a promise chain, measured at some 10 % of a short chat turn's
 * CPU before a single span is recorded. So Next's spans (page renders, middleware) are not made,
 * and the active span lives in the request's async store (request-context.ts), next to its log
 * record. Spans go through the SDK's batch processor to the OTLP exporter (trace-exporter.ts).
 *
 * Attributes carry ids, names, counts and classes, never user content (messages, facts, emails).
 */
import "server-only";
import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { MetricReader } from "@opentelemetry/sdk-metrics";
import { tracingSettings } from "@/lib/env";
import { frameStorage, type RequestContext } from "./request-context";
import { logger } from "./logger";
import { pathTemplate } from "./path-template";

const log = logger.child({ component: "tracing" });

// On globalThis: Next bundles instrumentation and the routes apart, each with its own copy of this module.
const TRACER = Symbol.for("app.tracing.tracer");
type WithTracer = typeof globalThis & { [TRACER]?: Tracer };
const registeredTracer = (): Tracer | undefined => (globalThis as WithTracer)[TRACER];

/** Installs the tracer our spans come from (registerTracing; tests with a provider of their own). */
export function installTracer(tracer: Tracer | undefined): void {
  (globalThis as WithTracer)[TRACER] = tracer;
}

// What registerTracing made, kept so the benchmark can pause recording and resume it.
const REGISTERED = Symbol.for("app.tracing.registered");
type Registered = { tracer: Tracer; flush: () => Promise<void>; flushEachRequest: boolean };
type WithRegistered = typeof globalThis & { [REGISTERED]?: Registered };

/**
 * For the benchmark only (/api/bench/telemetry): stops recording spans and metrics in a running
 * server, or starts again, so one process measures requests with and without them (servers of
 * one build differ by more than the cost measured). Pausing first exports what was recorded, so
 * that work counts while recording. False when telemetry was never registered.
 */
export async function setTelemetryPaused(paused: boolean): Promise<boolean> {
  const registered = (globalThis as WithRegistered)[REGISTERED];
  if (!registered) return false;
  if (paused) await registered.flush();
  installTracer(paused ? undefined : registered.tracer);
  const { setInstrumentsPaused } = await import("./metrics");
  setInstrumentsPaused(paused);
  return true;
}

/**
 * Builds the tracer (lean-tracer.ts: the sampler of sampler.ts, OTLP/HTTP export of batches) and the
 * metrics (OTLP export every OTEL_METRIC_EXPORT_INTERVAL, a minute by default, or `metricReader`
 * in tests) when telemetry is configured; else nothing.
 */
export async function registerTracing(options: { metricReader?: MetricReader } = {}): Promise<boolean> {
  const settings = tracingSettings();
  if (!settings.enabled) return false;
  const [
    { metrics },
    { BatchSpanProcessor },
    { LeanTracer },
    { MeterProvider, PeriodicExportingMetricReader },
    { OTLPMetricExporter },
    { telemetryResource },
    { traceExporterFor },
    { createInstruments },
    { readQueueState },
    { samplerFrom },
  ] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace-base"),
    import("./lean-tracer"),
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
    import("./resource"),
    import("./trace-exporter"),
    import("./metrics"),
    import("@/lib/jobs/queue-state"),
    import("./sampler"),
  ]);
  const resource = telemetryResource();
  const processor = new BatchSpanProcessor(await traceExporterFor(settings));
  const tracer = new LeanTracer(samplerFrom(settings), processor, resource, { name: "chatkit-facts" });
  const metricReader =
    options.metricReader ??
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(),
      exportIntervalMillis: settings.metricIntervalMs,
    });
  metrics.setGlobalMeterProvider(new MeterProvider({ resource, readers: [metricReader] }));
  createInstruments(readQueueState);
  (globalThis as WithRegistered)[REGISTERED] = {
    tracer,
    // An export that fails (the collector away) is logged and dropped; the request is not failed for it.
    flush: () => processor.forceFlush().catch((err: unknown) => log.warn({ err }, "trace export failed")),
    flushEachRequest: settings.flushEachRequest,
  };
  installTracer(tracer);
  return true;
}

/** The active trace context: the request's (or a job's), kept in its async store. */
function activeContext(): Context {
  return frameStorage.getStore()?.trace ?? ROOT_CONTEXT;
}

/** The active span, if any (a request's server span, or a span of ours inside it). */
export function activeSpan(): Span | undefined {
  return trace.getSpan(activeContext());
}

/** What a step gets instead of a span when nothing is recorded: every call on it does nothing. */
const NOT_RECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * A span under the active one, or a root when there is none (a job outside any request); under a
 * span that is not recorded (its trace was not sampled) none is made: nobody would see it.
 */
function startSpan(name: string, options: SpanOptions): Span {
  const tracer = registeredTracer();
  if (!tracer) return NOT_RECORDED;
  const context = activeContext();
  const parent = trace.getSpan(context);
  if (parent && !parent.isRecording()) return NOT_RECORDED;
  return tracer.startSpan(name, options, context);
}

/**
 * A span under the active one only if that one is recorded: for the steps of a traced request or
 * job (statements, upstream calls), which on their own, e.g. a page's queries, would each be a
 * trace of one span. `describe` (its name and options) runs only then, so an untraced step works
 * out nothing.
 */
export function startChildSpan(describe: () => { name: string; options: SpanOptions }): Span | undefined {
  const tracer = registeredTracer();
  if (!tracer) return undefined;
  const context = activeContext();
  if (!trace.getSpan(context)?.isRecording()) return undefined;
  const { name, options } = describe();
  return tracer.startSpan(name, options, context);
}

/** Runs `fn` with `span` as the active span, so spans started inside become its children. */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  if (span === NOT_RECORDED || activeSpan() === span) return fn();
  const frame = frameStorage.getStore();
  return frameStorage.run({ request: frame?.request, trace: trace.setSpan(activeContext(), span) }, fn);
}

/** Runs `fn` in a span of its own (ended when it settles; an error marks it failed). */
export async function withSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const span = startSpan(name, { attributes });
  if (span === NOT_RECORDED) return fn();
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

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
  keys: (headers: Headers) => [...headers.keys()],
};

/**
 * Starts the server span of an API request (OpenTelemetry's HTTP conventions: `POST /chatkit`,
 * `GET /facts/{id}`), a child of the caller's span when a `traceparent` header names one, and
 * returns the trace context its handler runs in; undefined while tracing is off. The span is kept
 * on the request's record and ended with its access line (endRequestSpan).
 */
export function startRequestSpan(request: Request, context: RequestContext): Context | undefined {
  const tracer = registeredTracer();
  if (!tracer) return undefined;
  const parent = request.headers.has("traceparent")
    ? propagator.extract(ROOT_CONTEXT, request.headers, headerGetter)
    : ROOT_CONTEXT;
  const template = pathTemplate(context.route);
  const span = tracer.startSpan(
    `${context.method} ${template}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        "http.request.method": context.method,
        "http.route": template,
        "url.path": context.route,
        "app.request_id": context.requestId,
      },
    },
    parent,
  );
  context.span = span;
  return trace.setSpan(parent, span);
}

/**
 * Ends the request's server span with its status and what the request learnt on its way: the
 * ChatKit request type, a turn's outcome and first-event time, a failure's class.
 *
 * On Vercel a function may be frozen as soon as its answer is out, and spans waiting in the batch
 * would go out at some later request, or never: there the request's end exports what was
 * recorded, and the promise returned is that export, for the caller to keep the function up for.
 */
export function endRequestSpan(context: RequestContext, status: number): Promise<void> | undefined {
  const span = context.span;
  if (!span) return undefined;
  context.span = undefined;
  if (!span.isRecording()) return undefined;
  span.setAttribute("http.response.status_code", status);
  const { chatkitType, outcome, errorClass, firstEventMs } = context;
  if (chatkitType) span.setAttribute("chatkit.request.type", chatkitType);
  if (outcome) span.setAttribute("chatkit.turn.outcome", outcome);
  if (firstEventMs !== undefined) span.setAttribute("chatkit.turn.first_event_ms", firstEventMs);
  const failed = status >= 500 || (outcome !== undefined && outcome !== "completed" && outcome !== "cancelled");
  if (failed) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute("error.type", errorClass ?? String(status));
  }
  span.end();
  const registered = (globalThis as WithRegistered)[REGISTERED];
  return registered?.flushEachRequest ? registered.flush() : undefined;
}

/** The model call's span, named and described by OpenTelemetry's GenAI semantic conventions. */
export class ModelCallSpan {
  readonly span: Span;
  private readonly started = performance.now();
  private firstChunkSeen = false;

  constructor(model: string) {
    const requestId = frameStorage.getStore()?.request?.requestId;
    this.span = startSpan(`chat ${model}`, {
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
    if (!this.span.isRecording()) return;
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
    if (!span.isRecording()) return;
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
