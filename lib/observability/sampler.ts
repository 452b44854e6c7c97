/**
 * Which spans are recorded: the standard `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`
 * choice (default `parentbased_always_on`, as the OpenTelemetry spec says), except Next's own
 * bookkeeping spans: finding and loading the route's modules and "start response". Those are five
 * of a chat turn's fourteen spans (and four of a page view's), say nothing an operator acts on
 * (modules are loaded once per process, then cached), and each recorded span costs CPU to build
 * and export. They are leaves, so skipping them leaves every other span's parent in the trace.
 */
import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from "@opentelemetry/sdk-trace-base";
import type { TracingSettings } from "@/lib/env";

/** Next's span types (`next.span_type`) that are not recorded. */
export const NEXT_BOOKKEEPING_SPANS: ReadonlySet<string> = new Set([
  "NextNodeServer.findPageComponents",
  "LoadComponents.loadRouteModule",
  "RouteModule.prepare",
  "AppRouteRouteModule.loadUserland",
  "NextNodeServer.startResponse",
  "NextNodeServer.getLayoutOrPageModule",
  "NextNodeServer.clientComponentLoading",
]);

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `_ARG` name (read by tracingSettings in lib/env.ts); an
 * unknown name or a bad ratio falls back to the default.
 */
export function samplerFrom(settings: Pick<TracingSettings, "sampler" | "samplerArg">): Sampler {
  const arg = Number(settings.samplerArg);
  const ratio = settings.samplerArg && arg >= 0 && arg <= 1 ? arg : 1;
  switch (settings.sampler?.trim().toLowerCase()) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** `inner`'s decision for every span but Next's bookkeeping ones, which are not recorded. */
export class WithoutNextBookkeeping implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const type = attributes["next.span_type"];
    if (typeof type === "string" && NEXT_BOOKKEEPING_SPANS.has(type)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `WithoutNextBookkeeping{${this.inner.toString()}}`;
  }
}
