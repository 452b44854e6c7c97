import { changePassword, changePasswordSchema } from "@/lib/account/password";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { requireUser } from "@/lib/auth/require-user";
import { readSessionUserId, reissueSessionCookie } from "@/lib/auth/session-cookie";
import { tokenResponse } from "@/lib/auth/user-read";
import { json, parseJson, preflight, route } from "@/lib/http";
import { AUTH_BODY_LIMIT } from "@/lib/http/body-limits";
import { drainJobsAfterResponse } from "@/lib/jobs";

export const dynamic = "force-dynamic";

/** Every other session and token ends; the caller keeps working with the fresh token and, in a browser, cookie. */
export const POST = route(async (request) => {
  const caller = await requireUser(request);
  const body = await parseJson(request, changePasswordSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("confirm", request, caller.id);
  const user = await changePassword(caller.id, body);
  const response = json(await tokenResponse(user));
  const session = await readSessionUserId(request);
  if (session?.userId === user.id) response.headers.append("Set-Cookie", await reissueSessionCookie(request, user));
  drainJobsAfterResponse(); // the "password changed" email
  return response;
});

export const OPTIONS = preflight;
