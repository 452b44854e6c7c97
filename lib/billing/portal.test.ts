import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { recurringOf } from "@/e2e/fakes/stripe/objects";
import { SEED_CATALOGUE, SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { TEST_STRIPE_KEY, useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { POST as portalRoute } from "@/app/api/billing/portal/route";
import { POST as subscribeRoute } from "@/app/api/microagents/subscribe/route";

useTestDatabase({ STRIPE_CATALOGUE_TTL_SECONDS: "0" });
// As on a fresh Stripe account: nobody has saved the customer portal settings in the dashboard.
const stripeFake = useStripeFake(webhook);
const ORIGIN = "http://app.test";

const sdk = () =>
  new Stripe(TEST_STRIPE_KEY, { host: "127.0.0.1", port: new URL(stripeFake.get().url).port, protocol: "http" });

async function openPortal(user: TestUser) {
  const res = await portalRoute(
    new Request(`${ORIGIN}/api/billing/portal`, { method: "POST", headers: user.headers }),
    undefined,
  );
  expect(res.status).toBe(200);
  const { url } = (await res.json()) as { url: string };
  const session = stripeFake.get().portalSession(url.split("/").pop()!)!;
  const configuration = stripeFake
    .get()
    .portalConfigurations()
    .find((c) => c.id === session.configuration)!;
  return { url, session, configuration };
}

const managed = () =>
  stripeFake
    .get()
    .portalConfigurations()
    .filter((c) => c.metadata?.managed_by === "microagents-app");

describe("the billing portal on an account with no saved portal settings", () => {
  it("Stripe itself refuses a portal session there unless a configuration is named", async () => {
    const stripe = sdk();
    const customer = await stripe.customers.create({ email: "portal@example.com" });
    await expect(stripe.billingPortal.sessions.create({ customer: customer.id })).rejects.toThrow(
      /save your customer portal settings/,
    );
  });

  it("opens, naming the app's own configuration: cancel at period end, the catalogue's plans, payment method, invoices", async () => {
    const user = await createTestUser();
    const { session, configuration } = await openPortal(user);
    expect(configuration.active).toBe(true);
    expect(configuration.metadata?.managed_by).toBe("microagents-app");
    const f = configuration.features;
    expect(f.subscription_cancel).toMatchObject({ enabled: true, mode: "at_period_end" });
    expect(f.payment_method_update.enabled).toBe(true);
    expect(f.invoice_history.enabled).toBe(true);
    expect(f.subscription_update.enabled).toBe(true);
    expect(
      Object.fromEntries((f.subscription_update.products ?? []).map((p) => [p.product, [...p.prices].sort()])),
    ).toEqual(Object.fromEntries(SEED_CATALOGUE.map((e) => [e.id, e.prices.map((p) => p.id).sort()])));
    expect(session.return_url).toBe(`${ORIGIN}/dashboard`);

    // Every later visit, by anyone, names the same one.
    const again = await openPortal(await createTestUser());
    expect(again.configuration.id).toBe(configuration.id);
    expect(managed()).toHaveLength(1);
  });

  it("makes a new configuration when its own was deactivated at Stripe", async () => {
    const user = await createTestUser();
    const first = await openPortal(user);
    await sdk().billingPortal.configurations.update(first.configuration.id, { active: false });
    const second = await openPortal(user);
    expect(second.configuration.id).not.toBe(first.configuration.id);
    expect(second.configuration.active).toBe(true);
    expect(managed().filter((c) => c.active)).toHaveLength(1);
  });

  it("keeps the configuration's plan list in step with the catalogue", async () => {
    const user = await createTestUser();
    const before = await openPortal(user);
    stripeFake.get().addPrice({
      id: "price_inbox_triage_weekly",
      product: "prod_inbox_triage",
      unit_amount: 300,
      recurring: recurringOf("week"),
    });
    const after = await openPortal(user);
    expect(after.configuration.id).toBe(before.configuration.id);
    const inbox = after.configuration.features.subscription_update.products?.find(
      (p) => p.product === "prod_inbox_triage",
    );
    expect(inbox?.prices).toContain("price_inbox_triage_weekly");
  });

  it("a plan switched in the portal reaches the micro-agent through the webhook", async () => {
    const user = await createTestUser();
    const res = await subscribeRoute(
      new Request(`${ORIGIN}/api/microagents/subscribe`, {
        method: "POST",
        headers: { "content-type": "application/json", ...user.headers },
        body: JSON.stringify({ workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly }),
      }),
      undefined,
    );
    const { micro_agent_id: id, checkout_url } = (await res.json()) as { micro_agent_id: string; checkout_url: string };
    const { subscription } = stripeFake.get().completeCheckout(checkout_url.split("/").pop()!);
    await stripeFake.get().settled();

    const { url } = await openPortal(user);
    const page = await fetch(url);
    expect(await page.text()).toContain(`/switch/${subscription.id}/${SEED_PRICES.yearly}`);
    const switched = await fetch(`${url}/switch/${subscription.id}/${SEED_PRICES.yearly}`, {
      method: "POST",
      redirect: "manual",
    });
    expect(switched.status).toBe(303);
    await stripeFake.get().settled();
    const [row] = await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id));
    expect(row).toMatchObject({ status: "active", stripePriceId: SEED_PRICES.yearly });
  });
});
