/** The POST /facts/{id}/save|discard handler, shared by both routes. */
import { requireUser } from "@/lib/auth/require-user";
import { decideFact, type FactDecision } from "@/lib/assistant/fact-decisions";
import { toFactView } from "@/lib/facts/repository";
import { json, route } from "@/lib/http";

type Params = { params: Promise<{ factId: string }> };

export function factDecisionRoute(decision: FactDecision) {
  return route<Params>(async (request, { params }) => {
    const user = await requireUser(request);
    const { factId } = await params;
    const { fact } = await decideFact(user.id, factId, decision);
    return json({ fact: toFactView(fact) });
  });
}
