/**
 * The customer portal's settings, made by the app through the API. A fresh Stripe account has no
 * saved portal settings, and Stripe refuses a portal session that names no configuration there,
 * so the app never relies on the account default: it keeps one configuration of its own —
 * cancel at the end of the period, switch among the catalogue's plans, update the payment
 * method, see invoices — and names it in every portal session.
 *
 * It is found again by its mark (`metadata.managed_by`), so every instance and every deploy
 * shares one; the id is cached per instance. `metadata.plans_digest` records the plan list it
 * was last given: when the catalogue's plans change, it is updated in place. Stripe cannot
 * delete a configuration, only deactivate it; a deactivated (or otherwise refused) one is
 * replaced by a new one on the next portal visit.
 */
import "server-only";
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import type { Catalogue } from "./catalogue";

const MARK_KEY = "managed_by";
const MARK = "microagents-app";

/** What the portal offers, from the catalogue: every product with its active plans. */
export function portalFeatures(catalogue: Catalogue): Stripe.BillingPortal.ConfigurationCreateParams.Features {
  const products = catalogue.entries
    .filter((e) => e.prices.length > 0)
    .map((e) => ({ product: e.product_id, prices: e.prices.map((p) => p.id) }));
  return {
    subscription_cancel: { enabled: true, mode: "at_period_end", proration_behavior: "none" },
    subscription_update:
      products.length > 0
        ? {
            enabled: true,
            default_allowed_updates: ["price"],
            products,
            proration_behavior: "create_prorations",
          }
        : { enabled: false },
    payment_method_update: { enabled: true },
    invoice_history: { enabled: true },
    customer_update: { enabled: false },
  };
}

const digestOf = (features: object) => createHash("sha256").update(JSON.stringify(features)).digest("hex").slice(0, 32);

const cache = new WeakMap<Stripe, { id: string; digest: string }>();

/** The app's active configuration at Stripe, if there is one (the oldest, should two instances have raced). */
async function findManaged(stripe: Stripe): Promise<Stripe.BillingPortal.Configuration | undefined> {
  const all = await stripe.billingPortal.configurations.list({ active: true, limit: 100 }).autoPagingToArray({
    limit: 1000,
  });
  return all.filter((c) => c.metadata?.[MARK_KEY] === MARK).sort((a, b) => a.created - b.created)[0];
}

/**
 * The id of the app's portal configuration, in step with `catalogue`. `refresh` skips the
 * cached id (Stripe refused it: deactivated). Stripe errors are thrown as they are.
 */
export async function portalConfigurationId(
  stripe: Stripe,
  catalogue: Catalogue,
  { refresh = false }: { refresh?: boolean } = {},
): Promise<string> {
  const features = portalFeatures(catalogue);
  const digest = digestOf(features);
  const known = cache.get(stripe);
  if (!refresh && known?.digest === digest) return known.id;

  const existing = await findManaged(stripe);
  let id: string;
  if (existing && existing.metadata?.plans_digest === digest) {
    id = existing.id;
  } else if (existing) {
    id = (
      await stripe.billingPortal.configurations.update(existing.id, { features, metadata: { plans_digest: digest } })
    ).id;
  } else {
    id = (
      await stripe.billingPortal.configurations.create({
        features,
        name: "Micro-agents",
        metadata: { [MARK_KEY]: MARK, plans_digest: digest },
      })
    ).id;
  }
  cache.set(stripe, { id, digest });
  return id;
}
