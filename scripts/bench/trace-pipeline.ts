/**
 * The tracing pipeline on its own, without a server: the seven spans of a traced chat turn (the
 * request, four statements, the model call and its HTTP call, with the attributes ours carry)
 * started and ended, then encoded as OTLP protobuf in batches of 512 (the batch processor's
 * size). Once with the OpenTelemetry SDK's tracer and serializer, once with ours
 * (lib/observability/lean-tracer.ts, otlp-trace-encoding.ts); µs of CPU per turn, best of five
 * rounds of 20,000 turns. Run by `npm run bench -- --observability`, or alone:
 * `tsx --conditions=react-server scripts/bench/trace-pipeline.ts`.
 */
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  ParentBasedSampler,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { markdownTable } from "./markdown-table";
import { LeanTracer } from "@/lib/observability/lean-tracer";
import { encodeTraceRequest } from "@/lib/observability/otlp-trace-encoding";

const TURNS = 20_000;
const ROUNDS = 5;
const BATCH = 512;

const ended: ReadableSpan[] = [];
const keep: SpanProcessor = {
  onStart: () => undefined,
  onEnd: (span) => void ended.push(span),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
const resource = resourceFromAttributes({ "service.name": "chatkit-facts" });
const requestId = "0d6c1f0e-2a7b-4d8e-9d43-6b1c0b0d1a11";

/** One traced turn, as route(), query-spans.ts, ModelCallSpan and http-spans.ts make it. */
function turn(tracer: Tracer): void {
  const request = tracer.startSpan("POST /chatkit", {
    kind: SpanKind.SERVER,
    attributes: {
      "http.request.method": "POST",
      "http.route": "/chatkit",
      "url.path": "/chatkit",
      "app.request_id": requestId,
    },
  });
  const inRequest = trace.setSpan(ROOT_CONTEXT, request);
  for (const table of ["users", "chatkit_threads", "chatkit_items", "facts"]) {
    const statement = tracer.startSpan(
      `SELECT ${table}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { "db.system.name": "postgresql", "db.operation.name": "SELECT", "db.collection.name": table },
      },
      inRequest,
    );
    statement.setAttribute("db.response.returned_rows", 1);
    statement.end();
  }
  const model = tracer.startSpan(
    "chat gpt-4.1-mini",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4.1-mini",
        "app.request_id": requestId,
      },
    },
    inRequest,
  );
  const call = tracer.startSpan(
    "POST /v1/responses",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "http.request.method": "POST",
        "server.address": "api.openai.com",
        "url.template": "/v1/responses",
      },
    },
    trace.setSpan(inRequest, model),
  );
  call.setAttribute("http.response.status_code", 200);
  call.end();
  model.setAttribute("gen_ai.response.time_to_first_chunk", 0.0042);
  model.addEvent("gen_ai.first_chunk");
  model.setAttribute("gen_ai.response.id", "resp_0123456789");
  model.setAttribute("gen_ai.response.model", "gpt-4.1-mini-2025-04-14");
  model.setAttribute("gen_ai.usage.input_tokens", 120);
  model.setAttribute("gen_ai.usage.output_tokens", 40);
  model.end();
  request.setAttribute("http.response.status_code", 200);
  request.setAttribute("chatkit.request.type", "threads.create");
  request.setAttribute("chatkit.turn.outcome", "completed");
  request.setAttribute("chatkit.turn.first_event_ms", 5);
  request.end();
}

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

function measure(tracer: Tracer, encode: (spans: ReadableSpan[]) => Uint8Array | undefined) {
  let best = { spans: Infinity, encoding: Infinity, bytes: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    ended.length = 0;
    const started = cpuUs();
    for (let i = 0; i < TURNS; i++) turn(tracer);
    const spans = (cpuUs() - started) / TURNS;
    const encodingStarted = cpuUs();
    let bytes = 0;
    for (let i = 0; i < ended.length; i += BATCH) bytes += encode(ended.slice(i, i + BATCH))?.length ?? 0;
    const encoding = (cpuUs() - encodingStarted) / TURNS;
    if (spans + encoding < best.spans + best.encoding) best = { spans, encoding, bytes: bytes / TURNS };
  }
  return best;
}

const sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() });
const sdk = new BasicTracerProvider({ resource, sampler, spanProcessors: [keep] }).getTracer("chatkit-facts");
const lean = new LeanTracer(sampler, keep, resource, { name: "chatkit-facts" });
// Each twice, taking turns, so neither gains from running after the other's warm-up.
const figures = {
  sdk: measure(sdk, (s) => ProtobufTraceSerializer.serializeRequest(s)),
  ours: measure(lean, encodeTraceRequest),
};
figures.sdk = measure(sdk, (s) => ProtobufTraceSerializer.serializeRequest(s));
figures.ours = measure(lean, encodeTraceRequest);

console.log(
  `\nA traced turn's seven spans on their own (${TURNS.toLocaleString("en")} turns, best of ${ROUNDS}), CPU µs per turn:\n`,
);
const rows = [
  ["OpenTelemetry SDK tracer and serializer", figures.sdk],
  ["ours (lean-tracer, otlp-trace-encoding)", figures.ours],
] as const;
const header = ["", "start and end", "OTLP protobuf encoding", "total", "bytes"];
const cells = rows.map(([name, f]) => [
  name,
  f.spans.toFixed(1),
  f.encoding.toFixed(1),
  (f.spans + f.encoding).toFixed(1),
  f.bytes.toFixed(0),
]);
console.log(markdownTable(header, cells));
