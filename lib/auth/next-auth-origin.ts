/**
 * next-auth v4 learns its public URL only from the process environment (NEXTAUTH_URL, or the request host
 * when VERCEL / AUTH_TRUST_HOST is set). This bridges our validated config into that contract:
 * an explicit NEXTAUTH_URL wins; on Vercel (preview URLs included) or with AUTH_TRUST_HOST the
 * request host is used; otherwise APP_BASE_URL; in development the request host.
 */
import { getEnv, publishNextAuthOrigin } from "@/lib/env";

let configured = false;

export function configureNextAuthOrigin(): void {
  if (configured) return;
  configured = true;
  const env = getEnv();
  if (env.nextAuthUrl || env.trustHost) return;
  if (env.appBaseUrl) publishNextAuthOrigin({ url: env.appBaseUrl });
  else if (!env.isProduction) publishNextAuthOrigin({ trustHost: true });
}

/** True when the site is served over HTTPS (secure cookie names and flags). */
export function usesSecureCookies(): boolean {
  const env = getEnv();
  const base = env.nextAuthUrl ?? (env.trustHost ? undefined : env.appBaseUrl);
  // Trusted-host deployments (Vercel) are HTTPS.
  return base ? base.startsWith("https://") : env.trustHost;
}
