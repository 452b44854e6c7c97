/** The Stripe fake is as strict as Stripe where the app could be caught out; driven by the real SDK. */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PRICES, start, type FakeStripe } from "./server";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  fake = await start(0, { stripeWebhookSecret: "whsec_strict" });
  stripe = new Stripe("sk_test_strict", {
    host: "127.0.0.1",
    port: new URL(fake.url).port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
});
afterAll(() => fake.close());

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (err: Stripe.errors.StripeError) => err.statusCode,
  );

async function checkout(customer: string, options?: Stripe.RequestOptions) {
  return stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      line_items: [{ price: SEED_PRICES.monthly, quantity: 1 }],
      success_url: "https://app.test/ok",
    },
    options,
  );
}

describe("Stripe fake: idempotency", () => {
  it("replays a saved 500 to every retry with the same key, and a fresh key runs", async () => {
    fake.failNext("POST", /^\/v1\/customers$/, 500);
    const key = { idempotencyKey: "strict-500" };
    const err = await stripe.customers.create({ email: "a@example.com" }, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
    const replay = await stripe.customers.create({ email: "a@example.com" }, key).catch((e: unknown) => e);
    expect((replay as Stripe.errors.StripeError).statusCode).toBe(500);
    expect((replay as Stripe.errors.StripeError).headers?.["idempotent-replayed"]).toBe("true");
    expect(
      await statusOf(stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: "strict-fresh" })),
    ).toBe(200);
  });

  it("replays a success and refuses the same key with other parameters", async () => {
    const key = { idempotencyKey: "strict-ok" };
    const first = await stripe.customers.create({ email: "b@example.com" }, key);
    const again = await stripe.customers.create({ email: "b@example.com" }, key);
    expect(again.id).toBe(first.id);
    const other = await stripe.customers.create({ email: "c@example.com" }, key).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("never saves a validation error: the same key with corrected parameters runs", async () => {
    const key = { idempotencyKey: "strict-400" };
    const customer = await stripe.customers.create({ email: "d@example.com" });
    const bad = stripe.checkout.sessions.create(
      {
        mode: "subscription",
        customer,
        line_items: [{ price: SEED_PRICES.oneTime, quantity: 1 }],
        success_url: "https://app.test/ok",
      } as unknown as Stripe.Checkout.SessionCreateParams,
      key,
    );
    expect(await statusOf(bad)).toBe(400);
    expect(await statusOf(checkout(customer.id, key))).toBe(200);
  });
});

describe("Stripe fake: strict requests", () => {
  it("refuses an unknown parameter and an unexpandable path with Stripe's 400", async () => {
    const unknown = await stripe.customers
      .create({ email: "e@example.com", favourite_colour: "blue" } as Stripe.CustomerCreateParams)
      .catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "favourite_colour" });
    const expand = await stripe.prices
      .retrieve(SEED_PRICES.monthly, { expand: ["produkt"] })
      .catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(expand).toMatchObject({ statusCode: 400, message: "This property cannot be expanded (produkt)." });
    expect((await stripe.prices.retrieve(SEED_PRICES.monthly, { expand: ["product"] })).product).toMatchObject({
      object: "product",
    });
  });
});

describe("Stripe fake: lifecycle", () => {
  it("deleting a customer cancels its subscriptions", async () => {
    const customer = await stripe.customers.create({ email: "f@example.com" });
    const session = await checkout(customer.id);
    const { subscription } = fake.completeCheckout(session.id);
    await stripe.customers.del(customer.id);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("canceled");
    expect(
      fake.events().some((e) => e.type === "customer.subscription.deleted" && e.data.object.id === subscription.id),
    ).toBe(true);
  });

  it("expires an unfinished checkout on its clock, with the checkout.session.expired event", async () => {
    const customer = await stripe.customers.create({ email: "g@example.com" });
    const session = await checkout(customer.id);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(fake.advanceClock(3600).some((e) => e.data.object.id === session.id)).toBe(false);
    const events = fake.advanceClock(23 * 3600);
    expect(events.filter((e) => e.data.object.id === session.id).map((e) => e.type)).toEqual([
      "checkout.session.expired",
    ]);
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "expired", url: null });
  });

  it("lets a renewal's payment fail and a first payment need authentication", async () => {
    const customer = await stripe.customers.create({ email: "h@example.com" });
    const { subscription, events } = fake.completeCheckout((await checkout(customer.id)).id, {
      payment: "requires_action",
    });
    expect(subscription.status).toBe("incomplete");
    expect(events.map((e) => e.type)).toContain("invoice.payment_action_required");
    const withInvoice = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(withInvoice.latest_invoice).toMatchObject({
      status: "open",
      hosted_invoice_url: expect.stringContaining("/i/in_"),
    });
  });
});
