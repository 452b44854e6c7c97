import { toMicroAgentResponse } from "@/lib/billing/micro-agents";
import { changePlan } from "@/lib/billing/plan";
import { planChangeSchema } from "@/lib/billing/plan-input";
import { requireUser } from "@/lib/auth/require-user";
import { json, parseJson, PLAN_CHANGE_BODY_LIMIT, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const POST = route<Context>(async (request, { params }) => {
  const user = await requireUser(request);
  const { id } = await params;
  const input = await parseJson(request, planChangeSchema, { limit: PLAN_CHANGE_BODY_LIMIT });
  const agent = await changePlan(user.id, id, input);
  return json(toMicroAgentResponse(agent));
});

export const OPTIONS = preflight;
