/**
 * The public origin links point at. Configured URLs win; the request's own host is used only
 * where it is trusted (Vercel previews, AUTH_TRUST_HOST, development), because a forged Host
 * header must never put an attacker's domain into a password-reset email.
 */
import { getEnv } from "@/lib/env";
import { notConfigured } from "@/lib/http";

export function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const host =
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || url.host;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(/:$/, "");
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

export function publicBaseUrl(request: Request): string {
  const env = getEnv();
  if (env.publicBaseUrl) return env.publicBaseUrl;
  if (env.trustHost || !env.isProduction) return requestOrigin(request);
  throw notConfigured("APP_BASE_URL is not configured");
}
