/**
 * A local OTLP/HTTP collector for tests: answers every export with 200 and keeps what came. Spans
 * arrive as protobuf (the default) or JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and are kept in
 * OTLP's JSON form either way; metrics come as JSON.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MetricReader } from "@opentelemetry/sdk-metrics";
// The protobuf types the OpenTelemetry SDK is built with: a collector's reading of a protobuf export.
import generatedRoot from "@opentelemetry/otlp-transformer/build/src/generated/root.js";

export type OtlpAttr = { key: string; value: Record<string, unknown> };
export type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes: OtlpAttr[];
  status?: { code?: number };
};

export type OtlpReceiver = {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  /** Every request body, as text (to search for words that must not be there). */
  bodies: string[];
  /** The bodies sent to /v1/metrics. */
  metricBodies: string[];
  /** Every span exported to /v1/traces, in arrival order. */
  spans: OtlpSpan[];
  close(): Promise<void>;
};

type Payload = { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };

type Decoder = {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
};
const traceRequest = (
  generatedRoot as unknown as {
    opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: Decoder } } } } };
  }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * An OTLP protobuf trace export decoded, as protobuf.js's `toObject` gives it with `options`
 * (e.g. `defaults: true` to spell out fields left at their default).
 */
export function decodeTraceExport(body: Uint8Array, options: Record<string, unknown>): unknown {
  return traceRequest.toObject(traceRequest.decode(body), options);
}

/** A protobuf export as OTLP's JSON would have it: ids in hex, numbers as numbers. */
function fromProtobuf(body: Buffer): Payload {
  const payload = decodeTraceExport(body, { longs: Number, bytes: String, enums: Number, arrays: true }) as Payload;
  const hex = (base64: string | undefined) => (base64 ? Buffer.from(base64, "base64").toString("hex") : undefined);
  for (const rs of payload.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        span.traceId = hex(span.traceId)!;
        span.spanId = hex(span.spanId)!;
        span.parentSpanId = hex(span.parentSpanId);
      }
  return payload;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const metricBodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString("utf8"); // a protobuf body too: its strings are UTF-8 in it, to search for words
      bodies.push(body);
      if (req.url === "/v1/metrics") metricBodies.push(body);
      if (req.url === "/v1/traces") {
        const payload = req.headers["content-type"]?.includes("protobuf")
          ? fromProtobuf(raw)
          : (JSON.parse(body) as Payload);
        for (const rs of payload.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    metricBodies,
    spans,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An attribute's value, whatever its OTLP type (`stringValue`, `intValue`, …). */
export function otlpAttr(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
}

/** Metrics collected when a test asks (the production reader exports every minute instead). */
export class OnDemandMetricReader extends MetricReader {
  protected onShutdown = async () => undefined;
  protected onForceFlush = async () => undefined;
}
