import { requireUser } from "@/lib/auth/require-user";
import { limitSessionRequests, refreshHostedSession, refreshRequestSchema } from "@/lib/hosted-sessions";
import { json, parseJson, preflight, route, SESSION_BODY_LIMIT } from "@/lib/http";

export const dynamic = "force-dynamic";
/** Seconds on Vercel: minting waits on OpenAI (OPENAI_TIMEOUT_MS, 60 s by default, retried once by the SDK). */
export const maxDuration = 150;

/** Mints a new client secret and cancels the caller's previous session (best effort). */
export const POST = route(async (request) => {
  const user = await requireUser(request);
  await limitSessionRequests(user.id);
  const body = await parseJson(request, refreshRequestSchema, { allowEmpty: true, limit: SESSION_BODY_LIMIT });
  return json(await refreshHostedSession(user.id, body), { headers: { "Cache-Control": "no-store" } });
});

export const OPTIONS = preflight;
