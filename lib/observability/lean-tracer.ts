/**
 * The tracer our spans come from when tracing is registered: spans the OpenTelemetry SDK's batch
 * processor and OTLP exporters take as they are (ReadableSpan), made with a fraction of the SDK
 * tracer's work per span.
 *
 * Why not the SDK's own tracer: a traced chat turn makes seven spans, and profiles put the SDK's
 * span start and end (attribute validation and copies for links and limits we never use, ids
 * hex-encoded through a Buffer, time anchored twice, its own span metrics) near a third of what
 * tracing cost a turn. Here a span is one object with its attributes kept as given: our callers
 * pass strings and numbers only. Sampling is still the SDK's sampler (sampler.ts).
 */
import "server-only";
import { randomFillSync } from "node:crypto";
import {
  context as apiContext,
  isSpanContextValid,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from "@opentelemetry/api";
import type { InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, Sampler, SpanProcessor, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** The SDK's default limits, which backends expect: more attributes or events than this are dropped and counted. */
const COUNT_LIMIT = 128;

// Ids from a pool of random bytes refilled 512 spans at a time (W3C trace context asks for random ids).
const POOL = Buffer.alloc(8 * 1024);
let poolAt = POOL.length;

const ZEROS = { 8: "0".repeat(16), 16: "0".repeat(32) };

function randomHex(bytes: 8 | 16): string {
  if (poolAt + bytes > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const id = POOL.toString("hex", poolAt, poolAt + bytes);
  poolAt += bytes;
  // An id of all zeros is invalid; the chance is 2^-64 or less, but the spec forbids it outright.
  return id === ZEROS[bytes] ? randomHex(bytes) : id;
}

// Wall-clock time from the monotonic clock, as the SDK does: the span's duration is never negative.
const ORIGIN_MS = performance.timeOrigin;

function hrTimeOf(epochMs: number): HrTime {
  const seconds = Math.trunc(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

/** A time given as HrTime is kept as it is (milliseconds in a double would lose its nanoseconds). */
function hrTimeFrom(time: TimeInput | undefined, epochMs: number): HrTime {
  return Array.isArray(time) ? [time[0], time[1]] : hrTimeOf(epochMs);
}

function epochMsOf(time: TimeInput): number {
  if (typeof time === "number") return time < ORIGIN_MS ? ORIGIN_MS + time : time; // performance.now() or epoch ms
  if (time instanceof Date) return time.getTime();
  return time[0] * 1000 + time[1] / 1e6;
}

// Frozen: a push into the shared array would throw rather than reach every span.
const NONE: never[] = Object.freeze([]) as unknown as never[];
const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });

class LeanSpan implements Span, ReadableSpan {
  readonly attributes: Attributes;
  // Most spans have no link or event, and none has a status before it is set: shared until then.
  links: Link[] = NONE;
  events: TimedEvent[] = NONE;
  status: SpanStatus = UNSET;
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  private readonly startMs: number;
  private endMs = -1;

  constructor(
    public name: string,
    readonly kind: SpanKind,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    attributes: Attributes,
    private attributeCount: number,
    startTime: TimeInput | undefined,
    private readonly processor: SpanProcessor,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
  ) {
    this.attributes = attributes;
    this.startMs = startTime === undefined ? ORIGIN_MS + performance.now() : epochMsOf(startTime);
    this.startTime = hrTimeFrom(startTime, this.startMs);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  /** Worked out when asked (exporters read start and end times). */
  get duration(): HrTime {
    return this.endMs < 0 ? [-1, -1] : hrTimeOf(this.endMs - this.startMs);
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.ended || value === undefined || value === null) return this;
    if (!Object.hasOwn(this.attributes, key)) {
      if (this.attributeCount >= COUNT_LIMIT) {
        this.droppedAttributesCount++;
        return this;
      }
      this.attributeCount++;
    }
    this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const [key, value] of Object.entries(attributes)) this.setAttribute(key, value);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    if (this.events.length >= COUNT_LIMIT) {
      this.droppedEventsCount++;
      return this;
    }
    const isTime =
      typeof attributesOrTime === "number" || attributesOrTime instanceof Date || Array.isArray(attributesOrTime);
    const at = time ?? (isTime ? (attributesOrTime as TimeInput) : undefined);
    if (this.events === NONE) this.events = [];
    this.events.push({
      name,
      attributes: isTime ? {} : ((attributesOrTime as Attributes | undefined) ?? {}),
      time: hrTimeFrom(at, at === undefined ? ORIGIN_MS + performance.now() : epochMsOf(at)),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links === NONE) this.links = [];
    this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  /** As the API says: OK is final, UNSET changes nothing. */
  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status = { ...status };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    const endMs = endTime === undefined ? ORIGIN_MS + performance.now() : epochMsOf(endTime);
    this.endTime = hrTimeFrom(endTime, endMs);
    this.endMs = Math.max(endMs, this.startMs);
    this.processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** The exception's type only: its message may quote what a user wrote. */
  recordException(exception: Exception, time?: TimeInput): void {
    const type =
      typeof exception === "string"
        ? "Error"
        : (exception.name ?? (exception.code === undefined ? "Error" : String(exception.code)));
    this.addEvent("exception", { "exception.type": type }, time);
  }
}

/** A Tracer (the OpenTelemetry API's) making LeanSpans, sampled by `sampler`, handed to `processor` as they end. */
export class LeanTracer implements Tracer {
  constructor(
    private readonly sampler: Sampler,
    private readonly processor: SpanProcessor,
    private readonly resource: Resource,
    private readonly scope: InstrumentationScope,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, context: Context = ROOT_CONTEXT): Span {
    const parentSpan = options.root ? undefined : trace.getSpan(context);
    const parent = parentSpan?.spanContext();
    // A span of ours has valid ids by construction; another's (a caller's traceparent) is checked.
    const validParent = parent && (parentSpan instanceof LeanSpan || isSpanContextValid(parent)) ? parent : undefined;
    const traceId = validParent?.traceId ?? randomHex(16);
    const kind = options.kind ?? SpanKind.INTERNAL;
    // Ours, not the caller's object: attributes set later must not write into it. Copied key by key:
    // a spread copy took about 1 µs more for each attribute added later (V8 leaves the copy's shape
    // out of its transition tree), the most expensive step of a statement's span.
    const attributes: Attributes = {};
    let attributeCount = 0;
    for (const key in options.attributes) {
      attributes[key] = options.attributes[key];
      attributeCount++;
    }
    const links = options.links ?? [];
    const sampling = this.sampler.shouldSample(context, traceId, name, kind, attributes, links);
    const spanContext: SpanContext = {
      traceId,
      spanId: randomHex(8),
      traceFlags: sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
      traceState: sampling.traceState ?? validParent?.traceState,
    };
    if (sampling.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    for (const key in sampling.attributes) {
      if (!Object.hasOwn(attributes, key)) attributeCount++;
      attributes[key] = sampling.attributes[key];
    }
    const span = new LeanSpan(
      name,
      kind,
      spanContext,
      validParent,
      attributes,
      attributeCount,
      options.startTime,
      this.processor,
      this.resource,
      this.scope,
    );
    for (const link of links) span.addLink(link);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : {};
    const parent = rest.length > 2 ? (rest[1] as Context) : apiContext.active();
    const span = this.startSpan(name, options, parent);
    return apiContext.with(trace.setSpan(parent, span), () => fn(span) as ReturnType<F>);
  }
}
