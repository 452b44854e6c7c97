import { requireUser } from "@/lib/auth/require-user";
import { listSavedFacts, toFactView } from "@/lib/facts/repository";
import { json, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  const facts = await listSavedFacts(user.id);
  return json({ facts: facts.map(toFactView) });
});

export const OPTIONS = preflight;
