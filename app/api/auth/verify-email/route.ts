import { verifyEmailSchema } from "@/lib/auth/credentials";
import { verifyEmail } from "@/lib/auth/email-verification";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { AUTH_BODY_LIMIT, empty, parseJson, preflight, route } from "@/lib/http";

/** Confirms the address a verification link was sent to (204); bad links answer 400. */
export const POST = route(async (request) => {
  const body = await parseJson(request, verifyEmailSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("verify", request);
  await verifyEmail(body.token);
  return empty(204);
});

export const OPTIONS = preflight;
