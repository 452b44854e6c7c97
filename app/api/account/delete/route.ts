import { withoutSessionCookie } from "@/lib/account/cookies";
import { deleteAccount, deleteAccountSchema } from "@/lib/account/delete";
import { limitAuthAttempt } from "@/lib/auth/rate-limits";
import { requireUser } from "@/lib/auth/require-user";
import { empty, parseJson, preflight, route } from "@/lib/http";
import { drainJobsAfterResponse } from "@/lib/jobs";
import { AUTH_BODY_LIMIT } from "@/lib/http/body-limits";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const user = await requireUser(request);
  const body = await parseJson(request, deleteAccountSchema, { limit: AUTH_BODY_LIMIT });
  await limitAuthAttempt("confirm", request, user.id);
  await deleteAccount(user.id, body);
  // The Stripe and OpenAI clean-up starts right after the answer; the cron and the worker retry what fails.
  drainJobsAfterResponse();
  return withoutSessionCookie(request, empty(204));
});

export const OPTIONS = preflight;
