/**
 * On Vercel (VERCEL=1) a function may be frozen once it has answered, so a request's spans are
 * exported when it ends rather than with the next batch. Here the batch delay is a minute: only
 * that export can bring the span to the collector in time.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricReader } from "@opentelemetry/sdk-metrics";
import { json, route } from "@/lib/http";
import { resetEnvCache } from "@/lib/env";
import { registerTracing } from "./tracing";

class TestReader extends MetricReader {
  protected onShutdown = async () => undefined;
  protected onForceFlush = async () => undefined;
}

const bodies: string[] = [];
let receiver: Server;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "60000",
    VERCEL: "1",
  });
  resetEnvCache();
  expect(await registerTracing({ metricReader: new TestReader() })).toBe(true);
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

describe("on Vercel", () => {
  it("a request's spans are exported when it ends, not with the next batch", async () => {
    const handler = route(async () => json({ ok: true }));
    const res = await handler(new Request("http://app.test/facts/fact_1a2b3c4d"), undefined);
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id")!;
    for (let i = 0; i < 100 && !bodies.some((b) => b.includes(requestId)); i++)
      await new Promise((r) => setTimeout(r, 20));
    const exported = bodies.find((b) => b.includes(requestId));
    expect(exported).toBeDefined();
    expect(exported).toContain('"name":"GET /facts/{id}"');
  });
});
