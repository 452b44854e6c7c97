/**
 * `GET /api/auth/oauth/{provider}`: starts Google/Apple sign-in with one redirect. next-auth v4
 * begins an OAuth flow only on a CSRF-checked POST to /signin/{provider}; we mint the CSRF pair
 * ourselves, run that POST in-process through next-auth's request/response handler, and hand
 * the browser its redirect plus the PKCE/state cookies it set.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import NextAuth from "next-auth";
import { notFound } from "@/lib/http";
import { enabledOAuthProviders, getAuthOptions, type OAuthProviderId } from "./next-auth-options";
import { usesSecureCookies } from "./next-auth-origin";
import { safeReturnTo } from "./return-to";

type Captured = { status: number; headers: Map<string, string | string[]>; body?: unknown };

function captureResponse() {
  const captured: Captured = { status: 200, headers: new Map() };
  const res = {
    status(code: number) {
      captured.status = code;
      return res;
    },
    setHeader(name: string, value: string | string[]) {
      captured.headers.set(name.toLowerCase(), value);
      return res;
    },
    getHeader: (name: string) => captured.headers.get(name.toLowerCase()),
    end: () => res,
    json: (body: unknown) => ((captured.body = body), res),
    send: (body: unknown) => ((captured.body = body), res),
  };
  return { res, captured };
}

export async function startOAuthSignIn(request: Request, provider: string): Promise<Response> {
  if (!enabledOAuthProviders().includes(provider as OAuthProviderId))
    throw notFound("Unsupported provider", "unsupported_provider");
  const options = await getAuthOptions();
  const csrfToken = randomBytes(32).toString("hex");
  const csrfHash = createHash("sha256").update(`${csrfToken}${options.secret}`).digest("hex");
  const csrfCookie = usesSecureCookies() ? "__Host-next-auth.csrf-token" : "next-auth.csrf-token";
  const callbackUrl = safeReturnTo(new URL(request.url).searchParams.get("callbackUrl"));
  const headers = Object.fromEntries(request.headers);
  const req = {
    method: "POST",
    query: { nextauth: ["signin", provider] },
    body: { csrfToken, callbackUrl },
    cookies: { [csrfCookie]: `${csrfToken}|${csrfHash}` },
    headers,
  };
  const { res, captured } = captureResponse();
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<unknown>)(req, res, options);
  const location = captured.headers.get("location");
  if (typeof location !== "string")
    throw new Error(`next-auth did not redirect to ${provider} (status ${captured.status})`);
  const response = new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } });
  const setCookie = captured.headers.get("set-cookie");
  for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    response.headers.append("set-cookie", cookie);
  }
  return response;
}
