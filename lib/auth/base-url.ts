/**
 * The public origin links in emails point at. It comes from configuration only (lib/env.ts
 * `publicBaseUrl`): in production a missing one is a configuration error, because the request's
 * Host or X-Forwarded-Host header is the client's to choose and must never put an attacker's
 * domain into a password-reset or verification email. Development falls back to the request's own
 * URL (the host the local server was reached on; forwarded headers are still ignored).
 */
import { getEnv, publicBaseUrl } from "@/lib/env";
import { notConfigured } from "@/lib/http";

export function emailLinkBaseUrl(request: Request): string {
  const configured = publicBaseUrl();
  if (configured) return configured;
  if (!getEnv().isProduction) return new URL(request.url).origin;
  throw notConfigured(
    "The public base URL is not configured: set APP_BASE_URL (on Vercel, VERCEL_PROJECT_PRODUCTION_URL is used)",
  );
}
