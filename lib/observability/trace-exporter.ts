/**
 * The span exporter: OTLP over HTTP, protobuf (the standard's default) or JSON as
 * OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says. The SDK's export delegate reads the collector's URL,
 * headers, timeout and compression from OpenTelemetry's variables itself, and retries what a
 * collector asks it to; a Vercel trace drain gets its local collector's URL instead.
 *
 * Protobuf batches are encoded by otlp-trace-encoding.ts (the same message as the SDK's
 * serializer, at a fraction of its work); the collector's answer is read by the SDK's.
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
  const [
    { OTLPExporterBase },
    { convertLegacyHttpOptions, createOtlpHttpExportDelegate },
    { ProtobufTraceSerializer },
  ] = await Promise.all([
    import("@opentelemetry/otlp-exporter-base"),
    import("@opentelemetry/otlp-exporter-base/node-http"),
    import("@opentelemetry/otlp-transformer"),
  ]);
  const { encodeTraceRequest } = await import("./otlp-trace-encoding");
  const options = convertLegacyHttpOptions(config, "TRACES", "v1/traces", {
    "Content-Type": "application/x-protobuf",
  });
  return new OTLPExporterBase(
    createOtlpHttpExportDelegate(options, {
      serializeRequest: encodeTraceRequest,
      deserializeResponse: (data: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(data),
    }),
  );
}
