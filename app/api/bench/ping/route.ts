import { requireBenchRoutes } from "@/lib/bench/relay";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(() => {
  requireBenchRoutes();
  return json({ ok: true });
});
