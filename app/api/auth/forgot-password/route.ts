import { forgotPasswordSchema } from "@/lib/auth/credentials";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { AUTH_BODY_LIMIT, empty, linkBaseUrl, parseJson, preflight, route } from "@/lib/http";
import { drainJobsNow, keepAlive } from "@/lib/jobs";

/**
 * Always 202: the answer never says whether the address has an account, in its content or its
 * timing. Everything up to the answer is the same for every address (parsing, the rate limits);
 * the lookup and the email are done after it, so a known address is not slower to answer.
 */
export const POST = route(async (request) => {
  const body = await parseJson(request, forgotPasswordSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("forgot", request, body.email);
  // The reset email is queued after the answer, so its delivery is started only once it is committed.
  keepAlive("password reset request", requestPasswordReset(body.email, linkBaseUrl(request)).then(drainJobsNow));
  return empty(202);
});

export const OPTIONS = preflight;
