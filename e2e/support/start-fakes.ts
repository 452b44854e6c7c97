/**
 * Starts every local fake of an external service that exists under e2e/fakes/<name>/server.ts
 * (each exports `start(port, options) → Promise<{ url: string; close(): Promise<void> }>`), then
 * answers GET http://127.0.0.1:<control>/ready so Playwright knows they are up.
 * Run: `tsx e2e/support/start-fakes.ts`.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { appleFakeOptions, E2E_BASE, E2E_STRIPE_WEBHOOK_SECRET, FAKE_PORTS } from "./e2e-env";

type Started = { url: string; close(): Promise<void> };
type FakeModule = { start(port: number, options: Record<string, string>): Promise<Started> };

const options = { appBaseUrl: E2E_BASE, stripeWebhookSecret: E2E_STRIPE_WEBHOOK_SECRET, ...appleFakeOptions() };
const started: Started[] = [];
for (const name of ["openai", "stripe", "oidc"] as const) {
  const file = path.resolve("e2e/fakes", name, "server.ts");
  if (!existsSync(file)) continue;
  const mod = (await import(pathToFileURL(file).href)) as FakeModule;
  started.push(await mod.start(FAKE_PORTS[name], options));
  console.log(`[fakes] ${name} listening on ${FAKE_PORTS[name]}`);
}

const control = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ready: true, fakes: started.map((s) => s.url) }));
});
control.listen(FAKE_PORTS.control, "127.0.0.1");

const stop = async () => {
  control.close();
  await Promise.allSettled(started.map((s) => s.close()));
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
