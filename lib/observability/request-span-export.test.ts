/**
 * On Vercel (VERCEL=1) a function may be frozen once it has answered, so a request's spans are
 * exported when it ends rather than with the next batch. Here the batch delay is a minute: only
 * that export can bring the span to the collector in time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, route } from "@/lib/http";
import { resetEnvCache } from "@/lib/env";
import { OnDemandMetricReader, startOtlpReceiver, type OtlpReceiver } from "@/e2e/support/otlp-receiver";
import { registerTracing, setTelemetryPaused } from "./tracing";

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "60000",
    VERCEL: "1",
  });
  resetEnvCache();
  expect(await registerTracing({ metricReader: new OnDemandMetricReader() })).toBe(true);
});

afterAll(() => receiver.close());

describe("on Vercel", () => {
  it("a request's spans are exported when it ends, not with the next batch", async () => {
    const handler = route(async () => json({ ok: true }));
    const res = await handler(new Request("http://app.test/facts/fact_1a2b3c4d"), undefined);
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    for (let i = 0; i < 100 && !receiver.bodies.some((b) => b.includes(requestId)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const exported = receiver.bodies.find((b) => b.includes(requestId));
    expect(exported).toBeDefined();
    expect(exported).toContain('"name":"GET /facts/{id}"');
  });
});

describe("the benchmark's pause", () => {
  it("while paused a request records no span, and once resumed it does again", async () => {
    const handler = route(async () => json({ ok: true }));
    const request = () => handler(new Request("http://app.test/health"), undefined);
    expect(await setTelemetryPaused(true)).toBe(true);
    const paused = (await request()).headers.get("x-request-id")!;
    expect(await setTelemetryPaused(false)).toBe(true);
    const resumed = (await request()).headers.get("x-request-id")!;
    for (let i = 0; i < 100 && !receiver.bodies.some((b) => b.includes(resumed)); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(receiver.bodies.some((b) => b.includes(resumed))).toBe(true);
    expect(receiver.bodies.some((b) => b.includes(paused))).toBe(false);
  });
});
