import { startOAuthSignIn } from "@/lib/auth/oauth-start";
import { route } from "@/lib/http";

type Context = { params: Promise<{ provider: string }> };

/** Starts Google or Apple sign-in (302); 404 "Unsupported provider" for anything else or unconfigured. */
export const GET = route<Context>(async (request, context) => {
  const { provider } = await context.params;
  return startOAuthSignIn(request, provider);
});
