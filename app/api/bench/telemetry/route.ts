import { z } from "zod";
import { requireBenchRoutes } from "@/lib/bench/relay";
import { json, parseJson, route } from "@/lib/http";
import { setTelemetryPaused } from "@/lib/observability/tracing";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ recording: z.boolean() });

/** Benchmarks only: pause or resume span and metric recording in this server (scripts/bench.ts --observability). */
export const POST = route(async (request) => {
  requireBenchRoutes();
  const { recording } = await parseJson(request, bodySchema);
  return json({ recording, registered: await setTelemetryPaused(!recording) });
});
