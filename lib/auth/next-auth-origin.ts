/**
 * next-auth v4 learns its public URL only from the process environment (NEXTAUTH_URL first, else
 * the request host when VERCEL / AUTH_TRUST_HOST is set). This hands it the one public base URL
 * every other link uses (lib/http/public-url.ts): an explicit NEXTAUTH_URL stays; else the
 * configured or Vercel-derived URL (a preview's branch URL), so OAuth callbacks and sign-in
 * redirects land where checkout, the billing portal and emails send people; with none, the
 * request host (development, or AUTH_TRUST_HOST).
 */
import "server-only";
import { getEnv, publishNextAuthOrigin } from "@/lib/env";

let configured = false;

export function configureNextAuthOrigin(): void {
  if (configured) return;
  configured = true;
  const env = getEnv();
  if (env.nextAuthUrl) return;
  if (env.publicBaseUrl) publishNextAuthOrigin({ url: env.publicBaseUrl });
  else if (!env.isProduction) publishNextAuthOrigin({ trustHost: true });
}

/** True when the site is served over HTTPS (secure cookie names and flags). */
export function usesSecureCookies(): boolean {
  const env = getEnv();
  const base = env.nextAuthUrl ?? env.publicBaseUrl;
  // Trusted-host deployments (Vercel) are HTTPS.
  return base ? base.startsWith("https://") : env.trustHost;
}
