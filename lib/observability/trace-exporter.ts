/**
 * The span exporter: OTLP over HTTP, protobuf (the standard's default) or JSON as
 * OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says. The exporters read the collector's URL, headers,
 * timeout and compression from OpenTelemetry's variables themselves, and retry what a collector
 * asks them to; a Vercel trace drain gets its local collector's URL instead.
 */
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { TracingSettings } from "@/lib/env";

export async function traceExporterFor(
  settings: Pick<TracingSettings, "protocol" | "tracesUrl">,
): Promise<SpanExporter> {
  const config = settings.tracesUrl ? { url: settings.tracesUrl } : {};
  if (settings.protocol === "http/json") {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    return new OTLPTraceExporter(config);
  }
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
  return new OTLPTraceExporter(config);
}
