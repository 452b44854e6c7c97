/**
 * `npm run stripe:webhook-endpoint -- <app base URL> [--replace]`: creates the Stripe webhook
 * endpoint for this app in the account of STRIPE_SECRET_KEY — `<base>/api/webhooks/stripe`, the
 * events the app acts on, and the **pinned API version** (lib/billing/api-version.ts), so Stripe
 * renders every event in the shapes the app reads rather than the account's default version —
 * and prints its signing secret for STRIPE_WEBHOOK_SECRET. Stripe shows a secret only when the
 * endpoint is created, and an endpoint's API version cannot be changed: an existing endpoint for
 * the same URL is reported and left alone, unless `--replace` deletes it and creates it afresh.
 */
import { pathToFileURL } from "node:url";
import type Stripe from "stripe";
import { STRIPE_API_VERSION } from "@/lib/billing/api-version";
import { getStripe } from "@/lib/billing/stripe-client";
import { HANDLED_EVENT_TYPES } from "@/lib/billing/webhook-events";
import { getEnv } from "@/lib/env";

export type EndpointReport =
  | { created: true; id: string; url: string; secret: string; replaced: string[] }
  | { created: false; id: string; url: string; apiVersion: string | null; upToDate: boolean };

/** `https://app.example.com[/]` (a query such as a preview's protection bypass is kept) → the webhook URL. */
export function webhookUrlFor(base: string): string {
  const url = new URL(base);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`not an http(s) URL: ${base}`);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/webhooks/stripe`;
  return url.toString();
}

export async function ensureWebhookEndpoint(
  stripe: Stripe,
  base: string,
  { replace = false }: { replace?: boolean } = {},
): Promise<EndpointReport> {
  const url = webhookUrlFor(base);
  const existing = (await stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 })).filter(
    (e) => e.url === url,
  );
  const current = existing[0];
  if (current && !replace) {
    const upToDate =
      current.api_version === STRIPE_API_VERSION &&
      HANDLED_EVENT_TYPES.every((t) => current.enabled_events.includes(t) || current.enabled_events.includes("*"));
    return { created: false, id: current.id, url, apiVersion: current.api_version, upToDate };
  }
  // The new endpoint first, the old ones after: no delivery falls into a gap, and a failed create
  // leaves the old endpoint in place (STRIPE_WEBHOOK_SECRET accepts both secrets meanwhile).
  const created = await stripe.webhookEndpoints.create({
    url,
    enabled_events: [...HANDLED_EVENT_TYPES],
    api_version: STRIPE_API_VERSION,
    description: "Micro-agent subscriptions (created by npm run stripe:webhook-endpoint)",
  });
  if (!created.secret) throw new Error("Stripe did not return the endpoint's signing secret");
  for (const e of existing) await stripe.webhookEndpoints.del(e.id);
  return { created: true, id: created.id, url, secret: created.secret, replaced: existing.map((e) => e.id) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const base = args.find((a) => !a.startsWith("--")) ?? getEnv().publicBaseUrl;
  if (!getEnv().stripe.secretKey || !base) {
    console.error(
      "Usage: STRIPE_SECRET_KEY=sk_… npm run stripe:webhook-endpoint -- https://your-app.example.com [--replace]",
    );
    process.exit(1);
  }
  const report = await ensureWebhookEndpoint(getStripe(), base, { replace: args.includes("--replace") });
  if (report.created) {
    console.log(
      `[stripe-webhook-endpoint] created ${report.id} for ${report.url} at API version ${STRIPE_API_VERSION}`,
    );
    if (report.replaced.length)
      console.log(`[stripe-webhook-endpoint] deleted the previous ${report.replaced.join(", ")}`);
    console.log(`STRIPE_WEBHOOK_SECRET=${report.secret}`);
  } else {
    console.log(
      `[stripe-webhook-endpoint] ${report.id} already serves ${report.url} at API version ${report.apiVersion ?? "(account default)"}` +
        (report.upToDate
          ? "; nothing to do (its secret is shown only at creation: roll it in the dashboard if lost)."
          : `; it is not at ${STRIPE_API_VERSION} with every event the app handles — rerun with --replace.`),
    );
  }
}
