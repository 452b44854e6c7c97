/**
 * A local OTLP/HTTP collector for tests: answers every export with 200 and keeps what came, as
 * JSON (the tests export with OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MetricReader } from "@opentelemetry/sdk-metrics";

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

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const metricBodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      bodies.push(body);
      if (req.url === "/v1/metrics") metricBodies.push(body);
      if (req.url === "/v1/traces") {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
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
