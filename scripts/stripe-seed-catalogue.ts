/**
 * `npm run stripe:seed-catalogue`: creates the development catalogue (e2e/fakes/stripe/seed-catalogue.ts —
 * the same products the local Stripe fake starts with) in the Stripe account of STRIPE_SECRET_KEY,
 * which must be a test-mode key. Safe to run again: products are created under their fixed ids
 * and updated when they exist, prices are found by their lookup keys and only missing ones are
 * created (Stripe prices cannot change their amount; archive one and rerun to replace it).
 */
import { pathToFileURL } from "node:url";
import type Stripe from "stripe";
import { SEED_CATALOGUE } from "@/e2e/fakes/stripe/seed-catalogue";
import { getStripe, isMissingResource } from "@/lib/billing/stripe-client";
import { getEnv } from "@/lib/env";

export type SeedReport = { productsCreated: string[]; productsUpdated: string[]; pricesCreated: string[] };

export async function seedStripeCatalogue(stripe: Stripe): Promise<SeedReport> {
  const report: SeedReport = { productsCreated: [], productsUpdated: [], pricesCreated: [] };
  for (const seed of SEED_CATALOGUE) {
    const fields = { name: seed.name, description: seed.description, metadata: { workflow_id: seed.workflowId } };
    try {
      await stripe.products.retrieve(seed.id);
      await stripe.products.update(seed.id, { ...fields, active: true });
      report.productsUpdated.push(seed.id);
    } catch (err) {
      if (!isMissingResource(err)) throw err;
      await stripe.products.create({ id: seed.id, ...fields });
      report.productsCreated.push(seed.id);
    }
    const existing = await stripe.prices.list({ lookup_keys: seed.prices.map((p) => p.lookupKey), limit: 100 });
    for (const p of seed.prices) {
      if (existing.data.some((e) => e.lookup_key === p.lookupKey)) continue;
      const created = await stripe.prices.create({
        product: seed.id,
        currency: "usd",
        unit_amount: p.amount,
        recurring: { interval: p.interval },
        lookup_key: p.lookupKey,
      });
      report.pricesCreated.push(created.id);
    }
  }
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const key = getEnv().stripe.secretKey;
  if (!key?.startsWith("sk_test_")) {
    console.error("Set STRIPE_SECRET_KEY to a test-mode key (sk_test_…); this script never touches live mode.");
    process.exit(1);
  }
  const report = await seedStripeCatalogue(getStripe());
  console.log(
    `[stripe-seed-catalogue] products created: ${report.productsCreated.length}, updated: ${report.productsUpdated.length}; prices created: ${report.pricesCreated.length}`,
  );
}
