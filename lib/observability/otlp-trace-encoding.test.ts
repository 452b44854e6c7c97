import { describe, expect, it } from "vitest";
import {
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
} from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { decodeTraceExport } from "@/e2e/support/otlp-receiver";
import { LeanTracer } from "./lean-tracer";
import { encodeTraceRequest } from "./otlp-trace-encoding";

/** The decoded message, every field spelt out (a field left out and one at its default read the same, as in protobuf). */
function decoded(bytes: Uint8Array): unknown {
  return decodeTraceExport(bytes, {
    longs: String,
    bytes: String,
    enums: Number,
    defaults: true,
    arrays: true,
    objects: true,
  });
}

/** Spans of every shape an exporter meets: roots, children, a remote parent, events, links, each kind of value. */
function makeSpans(tracer: import("@opentelemetry/api").Tracer): void {
  const root = tracer.startSpan("POST /chatkit", {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": "POST", "app.request_id": "req_1", empty: "" },
  });
  const under: Context = trace.setSpan(ROOT_CONTEXT, root);
  const child = tracer.startSpan(
    "chat gpt-4.1-mini",
    { kind: SpanKind.CLIENT, attributes: { "gen_ai.request.model": "gpt-4.1-mini" } },
    under,
  );
  child.setAttribute("gen_ai.usage.input_tokens", 1234);
  child.setAttribute("gen_ai.response.time_to_first_chunk", 0.0123);
  child.setAttribute("negative", -5);
  child.setAttribute("big", 2 ** 40 + 3);
  child.setAttribute("flag", true);
  child.setAttribute("list", ["a", "b"]);
  child.setAttribute("numbers", [1, 2.5, 3]);
  child.setAttribute("unicode", "Grüße, 世界 🌍");
  child.addEvent("gen_ai.first_chunk");
  child.addEvent("with.attributes", { "event.count": 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "response_failed" });
  child.end();
  // A long name and many attributes: lengths of more than one byte, nested.
  const long = tracer.startSpan("x".repeat(300), { attributes: { long: "y".repeat(20_000) } }, under);
  for (let i = 0; i < 60; i++) long.setAttribute(`attribute.${i}`, `value ${i}`);
  // Every length around 128, where a length takes a second byte.
  for (let n = 110; n < 140; n++) long.setAttribute(`k${n}`, "z".repeat(n));
  long.end();
  root.setAttribute("http.response.status_code", 200);
  root.end();
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState("vendor=value"),
  });
  const linked = tracer.startSpan(
    "job email.send",
    {
      kind: SpanKind.CONSUMER,
      links: [{ context: root.spanContext(), attributes: { "link.reason": "retry" } }],
    },
    remoteParent,
  );
  linked.end();
  // Enough spans that the buffer grows several times over.
  for (let i = 0; i < 300; i++)
    tracer
      .startSpan(`SELECT table_${i}`, { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql" } }, under)
      .end();
}

function collect(build: (processor: SpanProcessor) => import("@opentelemetry/api").Tracer): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  makeSpans(build(new SimpleSpanProcessor(exporter)));
  return exporter.getFinishedSpans();
}

const resource = resourceFromAttributes({ "service.name": "chatkit-facts", "deployment.environment.name": "test" });

describe("encodeTraceRequest", () => {
  it("encodes the SDK's spans as the same message as the SDK's serializer", () => {
    const spans = collect((processor) =>
      new BasicTracerProvider({ resource, spanProcessors: [processor] }).getTracer("chatkit-facts", "1.0.0"),
    );
    expect(spans.length).toBeGreaterThan(300);
    expect(decoded(encodeTraceRequest(spans))).toEqual(decoded(ProtobufTraceSerializer.serializeRequest(spans)!));
  });

  it("encodes the lean tracer's spans as the same message as the SDK's serializer", () => {
    const spans = collect(
      (processor) =>
        new LeanTracer(new ParentBasedSampler({ root: new AlwaysOnSampler() }), processor, resource, {
          name: "chatkit-facts",
        }),
    );
    const ours = decoded(encodeTraceRequest(spans));
    expect(ours).toEqual(decoded(ProtobufTraceSerializer.serializeRequest(spans)!));
    // And the message says what was recorded: the tree, the remote parent, the error, the values.
    const sent = (ours as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] }).resourceSpans[0]!
      .scopeSpans[0]!.spans;
    const named = (name: string) => sent.find((s) => s.name === name)!;
    expect(named("chat gpt-4.1-mini").parentSpanId).toBe(named("POST /chatkit").spanId);
    expect(named("chat gpt-4.1-mini").status).toEqual({ code: 2, message: "response_failed" });
    expect(named("job email.send").traceState).toBe("vendor=value");
    expect(named("job email.send").flags).toBe(0x301); // sampled, and known to have a remote parent
  });

  it("groups spans by resource and by instrumentation scope", () => {
    const other = resourceFromAttributes({ "service.name": "email-worker" });
    const spans = [
      ...collect((p) => new LeanTracer(new AlwaysOnSampler(), p, resource, { name: "a" })).slice(0, 3),
      ...collect((p) => new LeanTracer(new AlwaysOnSampler(), p, resource, { name: "b", version: "2" })).slice(0, 2),
      ...collect((p) => new LeanTracer(new AlwaysOnSampler(), p, other, { name: "a" })).slice(0, 1),
    ];
    const message = decoded(encodeTraceRequest(spans)) as {
      resourceSpans: { scopeSpans: { scope: { name: string }; spans: unknown[] }[] }[];
    };
    expect(message).toEqual(decoded(ProtobufTraceSerializer.serializeRequest(spans)!));
    expect(message.resourceSpans.map((r) => r.scopeSpans.map((s) => [s.scope.name, s.spans.length]))).toEqual([
      [
        ["a", 3],
        ["b", 2],
      ],
      [["a", 1]],
    ]);
  });

  it("encodes an empty batch as an empty message", () => {
    expect(encodeTraceRequest([]).length).toBe(0);
  });
});
