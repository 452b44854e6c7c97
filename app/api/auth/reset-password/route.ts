import { resetPasswordSchema } from "@/lib/auth/credentials";
import { hashResetToken, resetPassword } from "@/lib/auth/password-reset";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { empty, parseJson, preflight, route, AUTH_BODY_LIMIT } from "@/lib/http";

export const POST = route(async (request) => {
  const body = await parseJson(request, resetPasswordSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("reset", request, hashResetToken(body.token));
  await resetPassword(body.token, body.password);
  return empty(204);
});

export const OPTIONS = preflight;
