import { emailLinkBaseUrl } from "@/lib/auth/base-url";
import { forgotPasswordSchema } from "@/lib/auth/credentials";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { empty, parseJson, preflight, route, AUTH_BODY_LIMIT } from "@/lib/http";

/** Always 202: the answer never says whether the address has an account. */
export const POST = route(async (request) => {
  const body = await parseJson(request, forgotPasswordSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("forgot", request, body.email);
  await requestPasswordReset(body.email, emailLinkBaseUrl(request));
  return empty(202);
});

export const OPTIONS = preflight;
