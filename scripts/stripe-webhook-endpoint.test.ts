/** The webhook endpoint script, run with the real SDK against the Stripe fake. */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type FakeStripe } from "@/e2e/fakes/stripe/server";
import { STRIPE_API_VERSION } from "@/lib/billing/api-version";
import { HANDLED_EVENT_TYPES } from "@/lib/billing/webhook-events";
import { ensureWebhookEndpoint, webhookUrlFor } from "./stripe-webhook-endpoint";

let fake: FakeStripe;
let stripe: Stripe;
beforeAll(async () => {
  // The account's default version is older than basil, as on an account opened years ago.
  fake = await start(0, { seedCatalogue: false, accountApiVersion: "2024-06-20", stripeWebhookSecret: "whsec_made" });
  stripe = new Stripe("sk_test_endpoint", { host: "127.0.0.1", port: new URL(fake.url).port, protocol: "http" });
});
afterAll(() => fake.close());

describe("scripts/stripe-webhook-endpoint", () => {
  it("builds the webhook URL from the app's base URL, keeping a preview's bypass query", () => {
    expect(webhookUrlFor("https://app.example.com/")).toBe("https://app.example.com/api/webhooks/stripe");
    expect(webhookUrlFor("https://p.vercel.app?x-vercel-protection-bypass=s")).toBe(
      "https://p.vercel.app/api/webhooks/stripe?x-vercel-protection-bypass=s",
    );
    expect(() => webhookUrlFor("ftp://x")).toThrow();
  });

  it("creates the endpoint at the pinned API version with the handled events and prints its secret; events then come in that version", async () => {
    const report = await ensureWebhookEndpoint(stripe, "https://app.example.com");
    expect(report).toMatchObject({
      created: true,
      url: "https://app.example.com/api/webhooks/stripe",
      secret: "whsec_made",
    });
    const [endpoint] = fake.webhookEndpoints();
    expect(endpoint).toMatchObject({ api_version: STRIPE_API_VERSION, enabled_events: [...HANDLED_EVENT_TYPES] });
    await stripe.customers.create({ email: "someone@example.com" });
    const event = fake.events().at(-1)!;
    expect(JSON.parse(fake.render(event).payload)).toMatchObject({ api_version: STRIPE_API_VERSION });
  });

  it("leaves an existing endpoint alone, and replaces it when asked", async () => {
    const again = await ensureWebhookEndpoint(stripe, "https://app.example.com");
    expect(again).toMatchObject({ created: false, upToDate: true, apiVersion: STRIPE_API_VERSION });
    const first = fake.webhookEndpoints()[0]!.id;
    const replaced = await ensureWebhookEndpoint(stripe, "https://app.example.com", { replace: true });
    expect(replaced).toMatchObject({ created: true, replaced: [first] });
    expect(fake.webhookEndpoints()).toHaveLength(1);
  });
});
