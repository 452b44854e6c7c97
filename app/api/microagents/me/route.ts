import { listMicroAgents, toMicroAgentResponse } from "@/lib/billing/micro-agents";
import { requireUser } from "@/lib/auth/require-user";
import { json, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const agents = await listMicroAgents(user.id);
  return json(agents.map(toMicroAgentResponse), { headers: { "Cache-Control": "no-store" } });
});

export const OPTIONS = preflight;
