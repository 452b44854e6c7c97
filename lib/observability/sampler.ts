/**
 * Which traces are recorded: the standard `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`
 * choice (default `parentbased_always_on`, as the OpenTelemetry spec says). The decision is made
 * once per request, at its server span; every span of ours below follows it.
 */
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from "@opentelemetry/sdk-trace-base";
import type { TracingSettings } from "@/lib/env";

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
