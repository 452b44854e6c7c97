import { cancelMicroAgent } from "@/lib/billing/cancel";
import { toMicroAgentResponse } from "@/lib/billing/micro-agents";
import { requireUser } from "@/lib/auth/require-user";
import { json, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const POST = route<Context>(async (request, { params }) => {
  const user = await requireUser(request);
  const { id } = await params;
  const agent = await cancelMicroAgent(user.id, id);
  return json(toMicroAgentResponse(agent));
});

export const OPTIONS = preflight;
