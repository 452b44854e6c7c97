import { toMicroAgentResponse } from "@/lib/billing/micro-agents";
import { startSubscription } from "@/lib/billing/subscribe";
import { subscribeSchema } from "@/lib/billing/subscribe-input";
import { requireUser } from "@/lib/auth/require-user";
import { json, linkBaseUrl, parseJson, preflight, route, SUBSCRIBE_BODY_LIMIT } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const user = await requireUser(request);
  const input = await parseJson(request, subscribeSchema, { limit: SUBSCRIBE_BODY_LIMIT });
  const { checkoutUrl, microAgent } = await startSubscription(user.id, input, linkBaseUrl(request));
  return json(
    { checkout_url: checkoutUrl, micro_agent_id: microAgent.id, micro_agent: toMicroAgentResponse(microAgent) },
    { status: 201 },
  );
});

export const OPTIONS = preflight;
