/**
 * Reads the next-auth session cookie from a request's headers (no Next request context needed),
 * so route handlers, pages and tests share one path. next-auth v4 session cookies are JWE
 * (dir + A256GCM, key derived from the secret) and may be split into `.0`, `.1`, … chunks.
 */
import "server-only";
import { decode, encode, type JWT } from "next-auth/jwt";
import { getEnv } from "@/lib/env";
import { usesSecureCookies } from "./next-auth-origin";
import { isSessionId, revokeSession, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";

/** Who the cookie says, which password generation (0 for cookies sealed before versions existed), and which recorded session (auth_sessions). */
export type SessionIdentity = { userId: string; tokenVersion: number; sessionId?: string };

export const SESSION_COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;
const MAX_COOKIE_HEADER = 16 * 1024;

function parseCookies(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** The raw session token under `name`, joining chunks in order. */
function sessionToken(cookies: Map<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`) ?? "");
  return chunks.length ? chunks.join("") : undefined;
}

export async function readSessionUserId(request: Pick<Request, "headers">): Promise<SessionIdentity | null> {
  const header = request.headers.get("cookie");
  if (!header || header.length > MAX_COOKIE_HEADER) return null;
  const cookies = parseCookies(header);
  for (const name of SESSION_COOKIE_NAMES) {
    const token = sessionToken(cookies, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: getEnv().auth.sessionSecret });
      const sub = payload?.sub;
      if (typeof sub !== "string" || !/^[0-9a-f-]{36}$/i.test(sub)) continue;
      const ver = payload?.ver;
      const sid = payload?.sid;
      return {
        userId: sub,
        tokenVersion: typeof ver === "number" && Number.isInteger(ver) ? ver : 0,
        ...(isSessionId(sid) ? { sessionId: sid } : {}),
      };
    } catch {
      continue; // forged, expired or from another secret
    }
  }
  return null;
}

/** The session cookie's name and attributes, as next-auth sets them (secure over HTTPS). */
function cookieName(secure: boolean): string {
  return secure ? SESSION_COOKIE_NAMES[0] : SESSION_COOKIE_NAMES[1];
}

async function sealSession(
  user: { id: string; email: string; tokenVersion: number },
  sessionId: string,
  maxAgeSeconds: number,
): Promise<string> {
  const token: JWT = { sub: user.id, email: user.email, ver: user.tokenVersion, sid: sessionId };
  return encode({ token, secret: getEnv().auth.sessionSecret, maxAge: maxAgeSeconds });
}

/**
 * A session cookie header for a user, exactly as next-auth would set it after sign-in (a new
 * recorded session included). For tests and tools that need a signed-in browser without a form.
 */
export async function sessionCookieFor(
  user: { id: string; email: string; tokenVersion: number },
  options: { maxAgeSeconds?: number; secure?: boolean } = {},
): Promise<string> {
  const value = await sealSession(user, await startSession(user.id), options.maxAgeSeconds ?? 3600);
  return `${cookieName(options.secure ?? false)}=${value}`;
}

/**
 * Re-issues this browser's session after a change that ended every session of the account
 * (a token_version bump: password change, sign out everywhere): the request's own session is
 * revoked and a fresh one recorded for `user` (pass the row as it is now, with its new token
 * version). Returns the Set-Cookie header value to add to the response.
 */
export async function reissueSessionCookie(
  request: Request,
  user: { id: string; email: string; tokenVersion: number },
  options: { secure: boolean; maxAgeSeconds: number } = {
    secure: usesSecureCookies(),
    maxAgeSeconds: SESSION_MAX_AGE_SECONDS,
  },
): Promise<string> {
  const current = await readSessionUserId(request);
  if (current?.sessionId && current.userId === user.id) await revokeSession(current.sessionId);
  const value = await sealSession(user, await startSession(user.id), options.maxAgeSeconds);
  const attributes = ["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) attributes.push("Secure");
  return [`${cookieName(options.secure)}=${value}`, ...attributes].join("; ");
}
