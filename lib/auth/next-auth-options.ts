/**
 * next-auth (v4, JWT sessions) for the browser: email/password through the Credentials
 * provider, Google and Apple when configured. The session JWT carries our user id (`sub`) and
 * the user's token version (`ver`), which `requireUser` checks against the database.
 */
import "server-only";
import type { AuthOptions, CookiesOptions } from "next-auth";
import AppleProvider from "next-auth/providers/apple";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/http";
import { authenticate } from "./accounts";
import { appleClientSecret } from "./apple-secret";
import { loginSchema } from "./credentials";
import { configureNextAuthOrigin, usesSecureCookies } from "./next-auth-origin";
import { findUserByOAuthAccount, linkOAuthIdentity } from "./oauth-accounts";
import { limitAuthAttempt } from "./rate-limits";
import { safeReturnTo } from "./return-to";
import { revokeSession, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";

export type OAuthProviderId = "google" | "apple";

/** Which OAuth providers are configured (the pages show only these buttons). */
export function enabledOAuthProviders(): OAuthProviderId[] {
  const { google, apple } = getEnv().auth;
  return [...(google ? (["google"] as const) : []), ...(apple ? (["apple"] as const) : [])];
}

function discovery(issuer: string | undefined): { wellKnown: string } | Record<string, never> {
  return issuer ? { wellKnown: `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration` } : {};
}

function headersRequest(headers: unknown): Request {
  const h = new Headers();
  for (const [k, v] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (typeof v === "string") h.set(k, v);
  }
  return new Request("http://internal/", { headers: h });
}

const credentials = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(raw, req) {
    const parsed = loginSchema.safeParse({ email: raw?.email, password: raw?.password });
    if (!parsed.success) return null;
    try {
      await limitAuthAttempt("login", headersRequest(req.headers), parsed.data.email);
    } catch (err) {
      if (err instanceof AppError && err.status === 429) throw new Error("RateLimited");
      throw err;
    }
    const user = await authenticate(parsed.data.email, parsed.data.password);
    return user ? { id: user.id, email: user.email, tokenVersion: user.tokenVersion } : null;
  },
});

async function oauthProviders(): Promise<Provider[]> {
  const { google, apple } = getEnv().auth;
  const providers: Provider[] = [];
  if (google) {
    providers.push(
      GoogleProvider({ clientId: google.clientId, clientSecret: google.clientSecret, ...discovery(google.issuer) }),
    );
  }
  if (apple) {
    providers.push(
      AppleProvider({
        clientId: apple.clientId,
        clientSecret: await appleClientSecret(apple),
        // Apple accepts client credentials only in the form body.
        client: { token_endpoint_auth_method: "client_secret_post" },
        // next-auth's Apple default is PKCE alone; state binds the callback to this browser
        // (login CSRF) and nonce binds the id token to this sign-in. Apple echoes both.
        checks: ["pkce", "state", "nonce"],
        ...discovery(apple.issuer),
      }),
    );
  }
  return providers;
}

/**
 * Apple answers with a cross-site form POST, which does not carry SameSite=Lax cookies; the
 * cookies that flow reads back (PKCE verifier, state, nonce, callback URL) are therefore
 * SameSite=None over HTTPS. The session cookie itself stays Lax. Over plain HTTP (local
 * development) browsers refuse SameSite=None without Secure; there the issuer is same-site.
 */
function cookies(secure: boolean): Partial<CookiesOptions> {
  if (!secure) return {};
  const crossSite = (name: string, maxAge?: number) => ({
    name: `__Secure-next-auth.${name}`,
    options: { httpOnly: true, sameSite: "none", path: "/", secure: true, ...(maxAge ? { maxAge } : {}) },
  });
  return {
    pkceCodeVerifier: crossSite("pkce.code_verifier", 900),
    state: crossSite("state", 900),
    nonce: crossSite("nonce"),
    callbackUrl: crossSite("callback-url"),
  };
}

export async function getAuthOptions(): Promise<AuthOptions> {
  configureNextAuthOrigin();
  const secure = usesSecureCookies();
  return {
    secret: getEnv().auth.sessionSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    providers: [credentials, ...(await oauthProviders())],
    pages: { signIn: "/login", error: "/login" },
    useSecureCookies: secure,
    cookies: cookies(secure),
    callbacks: {
      // Every redirect next-auth makes (after sign-in, sign-out, errors) follows the one return-to rule.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeReturnTo(url, { origin: baseUrl })}`;
      },
      async signIn({ account, profile, user }) {
        if (!account || account.provider === "credentials") return true;
        const claims = (profile ?? {}) as { email?: string; email_verified?: unknown };
        const result = await linkOAuthIdentity({
          provider: account.provider as OAuthProviderId,
          providerAccountId: account.providerAccountId,
          email: claims.email ?? user.email,
          emailVerified: claims.email_verified,
        });
        if (result.ok) return true;
        return `/login?error=${result.reason === "email_unverified" ? "OAuthEmailUnverified" : "OAuthEmailMissing"}`;
      },
      async jwt({ token, user, account }) {
        if (!account || !user) return token; // an existing session: nothing to add
        // Keep the cookie small: only who, and which password generation.
        delete token.name;
        delete token.picture;
        // Each sign-in is recorded (auth_sessions) so that signing out ends it server-side.
        if (account.provider === "credentials") {
          const u = user as { id: string; email?: string | null; tokenVersion?: number };
          return {
            ...token,
            sub: u.id,
            email: u.email ?? null,
            ver: u.tokenVersion ?? 0,
            sid: await startSession(u.id),
          };
        }
        const linked = await findUserByOAuthAccount(account.provider, account.providerAccountId);
        if (!linked) throw new Error("OAuth account was not linked");
        return {
          ...token,
          sub: linked.id,
          email: linked.email,
          ver: linked.tokenVersion,
          sid: await startSession(linked.id),
        };
      },
      async session({ session, token }) {
        return { ...session, user: { id: token.sub ?? "", email: token.email ?? null } };
      },
    },
    events: {
      // The cookie next-auth clears may have been copied: its recorded session ends too.
      async signOut({ token }) {
        await revokeSession((token as { sid?: unknown } | null)?.sid);
      },
    },
  };
}
