import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { samplerFrom } from "./sampler";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const decide = (sampler: ReturnType<typeof samplerFrom>, traceId = TRACE_ID) =>
  sampler.shouldSample(ROOT_CONTEXT, traceId, "span", SpanKind.SERVER, {}, []).decision;

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

  it("a ratio sampler records that share of new traces, and the parent-based one follows a caller's decision", () => {
    const ratio = samplerFrom({ sampler: "parentbased_traceidratio", samplerArg: "0.5" });
    const ids = Array.from({ length: 400 }, (_, i) => createHash("md5").update(String(i)).digest("hex"));
    const recorded = ids.filter((id) => decide(ratio, id) === SamplingDecision.RECORD_AND_SAMPLED).length;
    expect(recorded).toBeGreaterThan(120);
    expect(recorded).toBeLessThan(280);
    const caller = (flags: number) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE_ID,
        spanId: "b7ad6b7169203331",
        traceFlags: flags,
        isRemote: true,
      });
    const off = samplerFrom({ sampler: "parentbased_always_off" });
    expect(off.shouldSample(caller(TraceFlags.SAMPLED), TRACE_ID, "s", SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(samplerFrom({}).shouldSample(caller(TraceFlags.NONE), TRACE_ID, "s", SpanKind.SERVER, {}, []).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });

  it("falls back to the default for an unknown name and to a ratio of 1 for a bad argument", () => {
    expect(samplerFrom({ sampler: "sometimes" }).toString()).toMatch(/^ParentBased\{root=AlwaysOn/);
    expect(samplerFrom({ sampler: "traceidratio", samplerArg: "2" }).toString()).toBe("TraceIdRatioBased{1}");
    expect(samplerFrom({ sampler: "traceidratio", samplerArg: "x" }).toString()).toBe("TraceIdRatioBased{1}");
  });
});
