import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { NEXT_BOOKKEEPING_SPANS, samplerFromEnv, WithoutNextBookkeeping } from "./sampler";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const decide = (sampler: ReturnType<typeof samplerFromEnv>, attributes = {}) =>
  sampler.shouldSample(ROOT_CONTEXT, TRACE_ID, "span", SpanKind.INTERNAL, attributes, []).decision;

describe("samplerFromEnv", () => {
  it("follows OTEL_TRACES_SAMPLER, defaulting to parent-based always-on as the spec says", () => {
    expect(samplerFromEnv({}).toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "always_off" }).toString()).toBe("AlwaysOffSampler");
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "ALWAYS_ON" }).toString()).toBe("AlwaysOnSampler");
    expect(
      samplerFromEnv({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" }).toString(),
    ).toMatch(/root=TraceIdRatioBased\{0.25\}/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" }).toString()).toBe(
      "TraceIdRatioBased{0}",
    );
  });

  it("falls back to the default for an unknown name and to a ratio of 1 for a bad argument", () => {
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "sometimes" }).toString()).toMatch(/^ParentBased\{root=AlwaysOn/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" }).toString()).toBe(
      "TraceIdRatioBased{1}",
    );
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "x" }).toString()).toBe(
      "TraceIdRatioBased{1}",
    );
  });
});

describe("WithoutNextBookkeeping", () => {
  it("does not record Next's module-loading and start-response spans, and asks the inner sampler about the rest", () => {
    const sampler = new WithoutNextBookkeeping(samplerFromEnv({ OTEL_TRACES_SAMPLER: "always_on" }));
    for (const type of NEXT_BOOKKEEPING_SPANS)
      expect(decide(sampler, { "next.span_type": type })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, { "next.span_type": "BaseServer.handleRequest" })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, { "next.span_type": "AppRouteRouteHandlers.runHandler" })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const off = new WithoutNextBookkeeping(samplerFromEnv({ OTEL_TRACES_SAMPLER: "always_off" }));
    expect(decide(off, { "next.span_type": "BaseServer.handleRequest" })).toBe(SamplingDecision.NOT_RECORD);
  });
});
