/**
 * Start-up work for the Node runtime (see instrumentation.ts): the first log line says whether
 * the configuration can serve the app (each problem by name, as /health reports it), then the
 * socket address and client-error hooks.
 */
import http from "node:http";
import { configurationProblems } from "@/lib/env";
import { installSocketAddressHeader } from "@/lib/http/client-address";
import { installClientErrorAnswers } from "@/lib/http/client-errors";
import { logger } from "@/lib/observability/logger";
import { registerTracing } from "@/lib/observability/tracing";

function logStart(): void {
  const problems = configurationProblems();
  const names = Object.keys(problems);
  const fatal = names.filter((name) => problems[name]?.fatal);
  const fields = { component: "start", configuration: names.length ? problems : "ok" };
  if (fatal.length) logger.error(fields, `starting: cannot serve the main journeys (${fatal.join(", ")})`);
  else if (names.length) logger.warn(fields, `starting, degraded (${names.join(", ")})`);
  else logger.info(fields, "starting: configuration ok");
}

export async function registerNode(): Promise<void> {
  logStart();
  if (await registerTracing()) logger.info({ component: "start" }, "tracing: exporting spans over OTLP");
  installSocketAddressHeader(http);
  installClientErrorAnswers(http);
}
