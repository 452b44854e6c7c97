/** Set-Cookie values that remove the browser's session cookie (every name and chunk the request carried). */
import "server-only";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/session-cookie";

export function clearedSessionCookies(request: Request): string[] {
  const present = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((part) => part.slice(0, Math.max(0, part.indexOf("="))).trim())
    .filter((name) => SESSION_COOKIE_NAMES.some((base) => name === base || name.startsWith(`${base}.`)));
  return present.map(
    (name) =>
      `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${name.startsWith("__Secure-") ? "; Secure" : ""}`,
  );
}

/** The response with those cookies removed. */
export function withoutSessionCookie(request: Request, response: Response): Response {
  for (const cookie of clearedSessionCookies(request)) response.headers.append("Set-Cookie", cookie);
  return response;
}
