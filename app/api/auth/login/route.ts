import { authenticate } from "@/lib/auth/accounts";
import { loginSchema } from "@/lib/auth/credentials";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { tokenResponse } from "@/lib/auth/user-read";
import { json, parseJson, preflight, route, unauthorized, AUTH_BODY_LIMIT } from "@/lib/http";

export const POST = route(async (request) => {
  const body = await parseJson(request, loginSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("login", request, body.email);
  const user = await authenticate(body.email, body.password);
  if (!user) throw unauthorized("Invalid credentials");
  return json(await tokenResponse(user));
});

export const OPTIONS = preflight;
