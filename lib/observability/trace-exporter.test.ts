import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { decodeTraceExport } from "@/e2e/support/otlp-receiver";
import { LeanTracer } from "./lean-tracer";
import { traceExporterFor } from "./trace-exporter";

type Received = { headers: IncomingHttpHeaders; body: Buffer };

/** A collector that answers the statuses given, one per request, then 200. */
async function collector(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, {
        "content-type": "application/x-protobuf",
        ...(status === 503 ? { "retry-after": "0" } : {}),
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

function twoSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new LeanTracer(
    new AlwaysOnSampler(),
    new SimpleSpanProcessor(memory),
    resourceFromAttributes({ "service.name": "chatkit-facts" }),
    { name: "chatkit-facts" },
  );
  const root = tracer.startSpan("POST /chatkit", { kind: SpanKind.SERVER });
  tracer.startSpan("SELECT users", { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
  return memory.getFinishedSpans();
}

const exportOf = (exporter: Awaited<ReturnType<typeof traceExporterFor>>, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

let closing: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await closing?.();
  closing = undefined;
});

describe("the protobuf span exporter", () => {
  it("posts a batch to the collector as OTLP protobuf that decodes to the spans sent", async () => {
    const sink = await collector();
    closing = sink.close;
    const exporter = await traceExporterFor({ protocol: "http/protobuf", tracesUrl: sink.url });
    const spans = twoSpans();
    expect((await exportOf(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.headers["content-type"]).toBe("application/x-protobuf");
    const message = decodeTraceExport(sink.received[0]!.body, { bytes: String }) as {
      resourceSpans: { scopeSpans: { spans: { name: string; parentSpanId?: string }[] }[] }[];
    };
    const sent = message.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(sent.map((s) => s.name)).toEqual(["SELECT users", "POST /chatkit"]);
    expect(Buffer.from(sent[0]!.parentSpanId!, "base64").toString("hex")).toBe(spans[1]!.spanContext().spanId);
    await exporter.shutdown();
  });

  it("sends the same batch again when the collector answers 503, as OTLP asks of a client", async () => {
    const sink = await collector([503]);
    closing = sink.close;
    const exporter = await traceExporterFor({ protocol: "http/protobuf", tracesUrl: sink.url });
    expect((await exportOf(exporter, twoSpans())).code).toBe(ExportResultCode.SUCCESS);
    expect(sink.received).toHaveLength(2);
    expect(sink.received[1]!.body.equals(sink.received[0]!.body)).toBe(true);
    await exporter.shutdown();
  });

  it("reports a failure, and sends once, when the collector refuses the batch (400)", async () => {
    const sink = await collector([400]);
    closing = sink.close;
    const exporter = await traceExporterFor({ protocol: "http/protobuf", tracesUrl: sink.url });
    expect((await exportOf(exporter, twoSpans())).code).toBe(ExportResultCode.FAILED);
    expect(sink.received).toHaveLength(1);
    await exporter.shutdown();
  });
});
