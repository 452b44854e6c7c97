/**
 * The public base URL every link we hand out starts with: Stripe Checkout's return pages, the
 * billing portal's return link, the links in emails, attachment upload links, and next-auth's
 * OAuth callbacks and redirects (lib/auth/next-auth-origin.ts publishes the same value to it).
 * It comes from configuration (lib/env.ts `publicBaseUrl`: APP_BASE_URL, else NEXTAUTH_URL, else
 * on Vercel the deployment's own host, a preview's branch URL), never from the request's Host or
 * X-Forwarded-Host header: the client chooses those, and they must never put another domain into
 * an email. Only development without configuration falls back to the origin the request reached.
 */
import "server-only";
import { getEnv } from "@/lib/env";
import { notConfigured } from "./errors";

/** `reached`: the request (or just its URL) whose origin development falls back to. */
export function linkBaseUrl(reached: { url: string }): string {
  const env = getEnv();
  if (env.publicBaseUrl) return env.publicBaseUrl;
  if (!env.isProduction) return new URL(reached.url).origin;
  throw notConfigured(
    "The public base URL is not configured: set APP_BASE_URL (on Vercel, the deployment's own URL is used)",
  );
}
