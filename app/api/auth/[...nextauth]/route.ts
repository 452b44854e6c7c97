/** next-auth's own routes: signin, callback/{provider} (incl. Apple's form_post), session, csrf, providers, signout. */
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/next-auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context): Promise<Response> {
  const nextAuth = NextAuth(await getAuthOptions()) as (req: Request, ctx: Context) => Promise<Response>;
  return nextAuth(request, context);
}

export { handler as GET, handler as POST };
