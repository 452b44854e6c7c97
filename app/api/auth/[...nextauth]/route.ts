/** next-auth's own routes: signin, callback/{provider} (incl. Apple's form_post), session, csrf, providers, signout. */
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/next-auth-options";
import { AppError, badRequest, ensureJsonError, isDatabaseUnavailable, route } from "@/lib/http";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "auth" });

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth answers requests it cannot handle (unknown action, wrong method, unreadable body)
// with plain text, an empty 500 or a throw; our clients get the JSON error contract instead.
const handler = route<Context>(async (request, context) => {
  const nextAuth = NextAuth(await getAuthOptions()) as (req: Request, ctx: Context) => Promise<Response>;
  let response: Response;
  try {
    response = await nextAuth(request, context);
  } catch (err) {
    if (err instanceof AppError || isDatabaseUnavailable(err)) throw err;
    log.warn({ err }, "next-auth could not process the request");
    throw badRequest("This sign-in request could not be processed", "auth_request_invalid");
  }
  return ensureJsonError(response, { serverErrorsAs: 400 });
});

export { handler as GET, handler as POST };
