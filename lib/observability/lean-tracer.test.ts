import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type Sampler,
} from "@opentelemetry/sdk-trace-base";
import { LeanTracer } from "./lean-tracer";

function tracerWith(sampler: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {
  const exporter = new InMemorySpanExporter();
  const resource = resourceFromAttributes({ "service.name": "test" });
  const tracer = new LeanTracer(sampler, new SimpleSpanProcessor(exporter), resource, { name: "test" });
  return { tracer, exporter, resource };
}

describe("LeanTracer", () => {
  it("makes a sampled root with fresh random ids, and children in its trace with it as their parent", () => {
    const { tracer, exporter, resource } = tracerWith();
    const root = tracer.startSpan("root", { kind: SpanKind.SERVER });
    const child = tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    root.end();
    const [endedChild, endedRoot] = exporter.getFinishedSpans();
    expect(endedRoot!.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(endedRoot!.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(endedRoot!.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    expect(endedRoot!.parentSpanContext).toBeUndefined();
    expect(endedRoot!.kind).toBe(SpanKind.SERVER);
    expect(endedRoot!.resource).toBe(resource);
    expect(endedChild!.spanContext().traceId).toBe(endedRoot!.spanContext().traceId);
    expect(endedChild!.parentSpanContext?.spanId).toBe(endedRoot!.spanContext().spanId);
    expect(endedChild!.kind).toBe(SpanKind.INTERNAL);
    const ids = new Set(Array.from({ length: 2000 }, () => tracer.startSpan("x").spanContext().spanId));
    expect(ids.size).toBe(2000);
  });

  it("follows the sampler: a dropped span records nothing and reaches no processor, and its children follow it", () => {
    const { tracer, exporter } = tracerWith(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    const root = tracer.startSpan("root");
    expect(root.isRecording()).toBe(false);
    expect(root.spanContext().traceFlags).toBe(TraceFlags.NONE);
    const child = tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    child.end();
    root.end();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("times a span from its start to its end, once, and ignores changes after the end", () => {
    const { tracer, exporter } = tracerWith();
    const span = tracer.startSpan("timed");
    const spin = performance.now() + 5;
    while (performance.now() < spin);
    span.end();
    span.end();
    span.setAttribute("late", 1);
    span.setStatus({ code: SpanStatusCode.ERROR });
    const [ended] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(ended!.endTime) - ms(ended!.startTime)).toBeGreaterThanOrEqual(4.9);
    expect(Math.abs(ms(ended!.startTime) - Date.now())).toBeLessThan(1000);
    expect(ms(ended!.duration)).toBeCloseTo(ms(ended!.endTime) - ms(ended!.startTime), 3);
    expect(ended!.attributes).toEqual({});
    expect(ended!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.isRecording()).toBe(false);
  });

  it("keeps attributes as given without writing into the caller's object, up to 128, counting the rest as dropped", () => {
    const { tracer, exporter } = tracerWith();
    const given = { "a.string": "x", "a.number": 1 };
    const span = tracer.startSpan("attributes", { attributes: given });
    span.setAttribute("a.bool", true);
    span.setAttribute("toString", "a key like any other"); // not taken for Object.prototype's
    span.setAttribute("a.undefined", undefined as unknown as string); // callers in plain JS can
    for (let i = 0; i < 200; i++) span.setAttribute(`n${i}`, i);
    span.setAttribute("a.string", "replaced"); // an existing key is replaced even at the limit
    span.end();
    const [ended] = exporter.getFinishedSpans();
    expect(given).toEqual({ "a.string": "x", "a.number": 1 });
    expect(Object.keys(ended!.attributes)).toHaveLength(128);
    expect(ended!.attributes["a.string"]).toBe("replaced");
    expect(ended!.attributes["a.bool"]).toBe(true);
    expect("a.undefined" in ended!.attributes).toBe(false);
    expect(ended!.attributes["toString"]).toBe("a key like any other");
    expect(ended!.droppedAttributesCount).toBe(200 - 124);
  });

  it("sets status as the API says: ERROR over UNSET, OK is final, UNSET changes nothing", () => {
    const { tracer, exporter } = tracerWith();
    const failed = tracer.startSpan("failed");
    failed.setStatus({ code: SpanStatusCode.ERROR, message: "timeout" });
    failed.setStatus({ code: SpanStatusCode.UNSET });
    failed.end();
    const ok = tracer.startSpan("ok");
    ok.setStatus({ code: SpanStatusCode.OK });
    ok.setStatus({ code: SpanStatusCode.ERROR });
    ok.end();
    const [endedFailed, endedOk] = exporter.getFinishedSpans();
    expect(endedFailed!.status).toEqual({ code: SpanStatusCode.ERROR, message: "timeout" });
    expect(endedOk!.status).toEqual({ code: SpanStatusCode.OK });
  });

  it("records events with their time and an exception by its type only, never its message", () => {
    const { tracer, exporter } = tracerWith();
    const span = tracer.startSpan("events");
    span.addEvent("first", { count: 2 });
    span.addEvent("at a time", [1_700_000_000, 5]);
    span.recordException(new TypeError("my secret fact"));
    span.end();
    const [ended] = exporter.getFinishedSpans();
    expect(ended!.events.map((e) => [e.name, e.attributes])).toEqual([
      ["first", { count: 2 }],
      ["at a time", {}],
      ["exception", { "exception.type": "TypeError" }],
    ]);
    expect(ended!.events[1]!.time).toEqual([1_700_000_000, 5]);
    expect(JSON.stringify(ended!.events)).not.toContain("secret");
  });

  it("runs startActiveSpan's function with the new span", () => {
    const { tracer } = tracerWith();
    const name = tracer.startActiveSpan("active", (span) => {
      span.end();
      return span.isRecording() ? "recording" : "ended";
    });
    expect(name).toBe("ended");
  });
});
