import { withoutSessionCookie } from "@/lib/account/cookies";
import { signOutEverywhere } from "@/lib/account/password";
import { requireUser } from "@/lib/auth/require-user";
import { empty, preflight, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const user = await requireUser(request);
  await signOutEverywhere(user.id);
  return withoutSessionCookie(request, empty(204));
});

export const OPTIONS = preflight;
