import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { NEXT_BOOKKEEPING_SPANS, samplerFrom, WithoutNextBookkeeping } from "./sampler";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const decide = (sampler: ReturnType<typeof samplerFrom>, attributes = {}) =>
  sampler.shouldSample(ROOT_CONTEXT, TRACE_ID, "span", SpanKind.INTERNAL, attributes, []).decision;

describe("samplerFrom", () => {
  it("follows OTEL_TRACES_SAMPLER, defaulting to parent-based always-on as the spec says", () => {
    expect(samplerFrom({}).toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
    expect(samplerFrom({ sampler: "always_off" }).toString()).toBe("AlwaysOffSampler");
    expect(samplerFrom({ sampler: "ALWAYS_ON" }).toString()).toBe("AlwaysOnSampler");
    expect(samplerFrom({ sampler: "parentbased_traceidratio", samplerArg: "0.25" }).toString()).toMatch(
      /root=TraceIdRatioBased\{0.25\}/,
    );
    expect(samplerFrom({ sampler: "traceidratio", samplerArg: "0" }).toString()).toBe("TraceIdRatioBased{0}");
  });

  it("falls back to the default for an unknown name and to a ratio of 1 for a bad argument", () => {
    expect(samplerFrom({ sampler: "sometimes" }).toString()).toMatch(/^ParentBased\{root=AlwaysOn/);
    expect(samplerFrom({ sampler: "traceidratio", samplerArg: "2" }).toString()).toBe("TraceIdRatioBased{1}");
    expect(samplerFrom({ sampler: "traceidratio", samplerArg: "x" }).toString()).toBe("TraceIdRatioBased{1}");
  });
});

describe("WithoutNextBookkeeping", () => {
  it("does not record Next's module-loading and start-response spans, and asks the inner sampler about the rest", () => {
    const sampler = new WithoutNextBookkeeping(samplerFrom({ sampler: "always_on" }));
    for (const type of NEXT_BOOKKEEPING_SPANS)
      expect(decide(sampler, { "next.span_type": type })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, { "next.span_type": "BaseServer.handleRequest" })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, { "next.span_type": "AppRouteRouteHandlers.runHandler" })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const off = new WithoutNextBookkeeping(samplerFrom({ sampler: "always_off" }));
    expect(decide(off, { "next.span_type": "BaseServer.handleRequest" })).toBe(SamplingDecision.NOT_RECORD);
  });
});
