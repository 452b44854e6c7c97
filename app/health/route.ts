import { checkHealth } from "@/lib/health/check";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const report = await checkHealth();
  return json(report, { status: report.status === "unhealthy" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
});
