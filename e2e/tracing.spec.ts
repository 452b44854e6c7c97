/**
 * Traces and metrics from a production server, as a collector receives them: a second `next
 * start` of the same build, exporting OTLP/HTTP (protobuf, the default: our encoder of
 * otlp-trace-encoding.ts) to a receiver in this process. Unlike the
 * in-process test (app/chatkit/tracing.test.ts), Next bundles instrumentation and routes apart
 * here: the tree of one chat turn must still hang together, database statements included, with
 * the request id and without the words of the message, and Next must make no spans of its own.
 */
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startApp, type AppServer } from "./support/app-server";
import { E2E_DATABASE_URL, E2E_STRIPE_WEBHOOK_SECRET, FAKE_PORTS } from "./support/e2e-env";
import { PASSWORD } from "./support/chat";
import { parseSse } from "./support/sse";
import { otlpAttr as attr, startOtlpReceiver, type OtlpReceiver, type OtlpSpan as Span } from "./support/otlp-receiver";

let receiver: OtlpReceiver | undefined;
let spans: Span[] = [];
let bodies: string[] = [];
let metricBodies: string[] = [];
let app: AppServer | undefined;

test.describe("traces of a production server", { tag: "@fakes" }, () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000); // a second production server starts here
    receiver = await startOtlpReceiver();
    ({ spans, bodies, metricBodies } = receiver);
    app = await startApp({
      databaseUrl: E2E_DATABASE_URL,
      openaiBaseUrl: `http://127.0.0.1:${FAKE_PORTS.openai}/v1`,
      stripeUrl: `http://127.0.0.1:${FAKE_PORTS.stripe}`,
      webhookSecret: E2E_STRIPE_WEBHOOK_SECRET,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: "100",
        OTEL_METRIC_EXPORT_INTERVAL: "500",
      },
    });
  });

  test.afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  test("a chat turn arrives as one tree: its server span, the model call and its HTTP call, and each database statement, with the request id and no user words", async () => {
    const base = app!.base;
    const email = `trace-${randomUUID().slice(0, 8)}@example.com`;
    const signup = await fetch(`${base}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(signup.status).toBe(201);
    const { access_token: token } = (await signup.json()) as { access_token: string };
    const words = `tangerine-${randomUUID().slice(0, 8)}`;
    const turn = await fetch(`${base}/chatkit`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        type: "threads.create",
        params: {
          input: { content: [{ type: "input_text", text: `hello ${words}` }], attachments: [], inference_options: {} },
        },
      }),
    });
    const requestId = turn.headers.get("x-request-id");
    expect(parseSse(await turn.text()).some((e) => e.type === "thread.item.done")).toBe(true);

    const chat = () => spans.find((s) => s.name === "POST /chatkit" && attr(s, "app.request_id") === requestId);
    const inTrace = () => spans.filter((s) => s.traceId === chat()?.traceId);
    const statements = () => inTrace().filter((s) => attr(s, "db.system.name") === "postgresql");
    await expect
      .poll(() => !!chat() && statements().length > 0 && inTrace().some((s) => s.name === "POST /v1/responses"), {
        timeout: 15_000,
      })
      .toBe(true);

    const trace = inTrace();
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const parentOf = (s: Span) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const ancestors = (s: Span) => {
      const out: string[] = [];
      for (let p = parentOf(s); p; p = parentOf(p)) out.push(p.name);
      return out;
    };
    // Every span's parent was exported too: one tree, rooted at the request's server span.
    const roots = trace.filter((s) => !parentOf(s));
    expect(roots.map((s) => s.name)).toEqual(["POST /chatkit"]);
    const turnSpan = chat()!;
    expect(attr(turnSpan, "chatkit.request.type")).toBe("threads.create");
    expect(attr(turnSpan, "chatkit.turn.outcome")).toBe("completed");
    const model = trace.find((s) => s.name.startsWith("chat ") && s.parentSpanId === turnSpan.spanId);
    expect(model, trace.map((s) => s.name).join(", ")).toBeDefined();
    expect(attr(model!, "gen_ai.operation.name")).toBe("chat");
    // One span for the call: ours, not also Next's own fetch span.
    const calls = trace.filter((s) => s.parentSpanId === model!.spanId);
    expect(calls.map((s) => s.name)).toEqual(["POST /v1/responses"]);
    const call = calls[0];
    expect(attr(call!, "http.response.status_code")).toBe(200);
    // Next's own tracing stays off (it would cost every request, sampled or not).
    expect(trace.filter((s) => attr(s, "next.span_type") !== undefined)).toEqual([]);
    for (const statement of statements()) {
      expect(statement.name).toMatch(/^[A-Z]+( \w+)?$/);
      expect(ancestors(statement)).toContain("POST /chatkit");
    }
    // The caller is found before the turn starts; the thread is written within it.
    const named = (name: string) => statements().find((s) => s.name === name);
    expect(named("SELECT users")).toBeDefined();
    expect(ancestors(named("INSERT chatkit_threads")!)).toEqual(["POST /chatkit"]);
    const exported = bodies.join("\n");
    expect(exported).not.toContain(words);
    expect(exported).not.toContain(email);
  });

  test("a page view makes no span (Next's tracing stays off), an API request makes its own, and the turn's metrics are exported", async () => {
    const page = await fetch(`${app!.base}/login`);
    expect(page.status).toBe(200);
    const health = await fetch(`${app!.base}/health`);
    const requestId = health.headers.get("x-request-id");
    const healthSpan = () => spans.find((s) => s.name === "GET /health" && attr(s, "app.request_id") === requestId);
    await expect.poll(() => !!healthSpan(), { timeout: 15_000 }).toBe(true);
    expect(Number(attr(healthSpan()!, "http.response.status_code"))).toBe(health.status);
    expect(spans.filter((s) => attr(s, "next.span_type") !== undefined || s.name.includes("/login"))).toEqual([]);
    // Metrics are recorded by the routes' copy of the code and exported by the instrumentation's provider.
    await expect.poll(() => metricBodies.some((b) => b.includes('"chat.turns"')), { timeout: 15_000 }).toBe(true);
  });
});
