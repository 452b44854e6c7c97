import { createPasswordAccount } from "@/lib/auth/accounts";
import { signupSchema } from "@/lib/auth/credentials";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { tokenResponse } from "@/lib/auth/user-read";
import { json, linkBaseUrl, parseJson, preflight, route, AUTH_BODY_LIMIT } from "@/lib/http";

export const POST = route(async (request) => {
  const body = await parseJson(request, signupSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("signup", request);
  const user = await createPasswordAccount(body.email, body.password, linkBaseUrl(request));
  return json(await tokenResponse(user), { status: 201 });
});

export const OPTIONS = preflight;
