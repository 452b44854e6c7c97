import { requireUser } from "@/lib/auth/require-user";
import { limitSessionRequests, mintHostedSession, sessionRequestSchema } from "@/lib/hosted-sessions";
import { json, parseJson, preflight, route, SESSION_BODY_LIMIT } from "@/lib/http";

export const dynamic = "force-dynamic";
/** Seconds on Vercel: minting waits on OpenAI (OPENAI_TIMEOUT_MS, 60 s by default, retried once by the SDK). */
export const maxDuration = 150;

/** Mints a ChatKit client secret for the hosted Agent Builder workflow. */
export const POST = route(async (request) => {
  const user = await requireUser(request);
  await limitSessionRequests(user.id);
  const body = await parseJson(request, sessionRequestSchema, { allowEmpty: true, limit: SESSION_BODY_LIMIT });
  return json(await mintHostedSession(user.id, body), { headers: { "Cache-Control": "no-store" } });
});

export const OPTIONS = preflight;
