import { resendVerification } from "@/lib/auth/email-verification";
import { requireUser } from "@/lib/auth/require-user";
import { empty, linkBaseUrl, preflight, route } from "@/lib/http";

/** Sends a new verification link to the caller's address (202); 409 once it is verified. */
export const POST = route(async (request) => {
  const user = await requireUser(request);
  await resendVerification(user.id, linkBaseUrl(request));
  return empty(202);
});

export const OPTIONS = preflight;
