/** The development catalogue script, run with the real SDK against an empty Stripe fake. */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_CATALOGUE, start, type FakeStripe } from "@/e2e/fakes/stripe/server";
import { buildCatalogue } from "@/lib/billing/catalogue";
import { seedStripeCatalogue } from "./stripe-seed-catalogue";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await start(0, { seedCatalogue: false });
  stripe = new Stripe("sk_test_seed", { host: "127.0.0.1", port: new URL(fake.url).port, protocol: "http" });
});
afterAll(() => fake.close());

const listed = async () =>
  buildCatalogue(
    await stripe.prices
      .list({ type: "recurring", limit: 100, expand: ["data.product"] })
      .autoPagingToArray({ limit: 1000 }),
  ).entries;

describe("scripts/stripe-seed-catalogue", () => {
  it("creates every product and plan of the development catalogue in an empty account, and the catalogue reads them back", async () => {
    expect(await listed()).toEqual([]);
    const report = await seedStripeCatalogue(stripe);
    expect(report.productsCreated).toEqual(SEED_CATALOGUE.map((p) => p.id));
    expect(report.pricesCreated).toHaveLength(SEED_CATALOGUE.flatMap((p) => p.prices).length);
    const entries = await listed();
    expect(entries.map((e) => [e.name, e.workflow_id, e.prices.map((p) => `${p.amount}/${p.interval}`)])).toEqual(
      [...SEED_CATALOGUE]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => [p.name, p.workflowId, p.prices.map((x) => `${x.amount}/${x.interval}`)]),
    );
  });

  it("is safe to run again: it updates the products and creates no second price", async () => {
    const report = await seedStripeCatalogue(stripe);
    expect(report).toEqual({
      productsCreated: [],
      productsUpdated: SEED_CATALOGUE.map((p) => p.id),
      pricesCreated: [],
    });
    expect((await listed()).flatMap((e) => e.prices)).toHaveLength(SEED_CATALOGUE.flatMap((p) => p.prices).length);
  });
});
