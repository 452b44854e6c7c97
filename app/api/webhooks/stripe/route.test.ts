import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { microAgents, stripeEvents } from "@/db/schema";
import { SEED_PRICES, type FakeStripe } from "@/e2e/fakes/stripe/server";
import { TEST_WEBHOOK_SECRET, useStripeFake, webhookRequest } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { resetEnvCache } from "@/lib/env";
import { STRIPE_API_VERSION } from "@/lib/billing/api-version";
import { POST as subscribeRoute } from "@/app/api/microagents/subscribe/route";
import { POST } from "./route";

useTestDatabase();
const stripeFake = useStripeFake(POST, { autoDeliver: false });
const fake = (): FakeStripe => stripeFake.get();
type Event = ReturnType<FakeStripe["events"]>[number];

afterEach(() => fake().setAutoDeliver(false));

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}): Request {
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp,
  });
  return webhookRequest(payload, { "content-type": "application/json", "stripe-signature": header });
}
const send = async (request: Request) => POST(request, undefined);

async function newAgent(user?: TestUser): Promise<{ user: TestUser; id: string; sessionId: string }> {
  const owner = user ?? (await createTestUser());
  const res = await subscribeRoute(
    new Request("http://app.test/api/microagents/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json", ...owner.headers },
      body: JSON.stringify({ agent_name: "Agent", workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly }),
    }),
    undefined,
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { user: owner, id: body.micro_agent_id, sessionId: body.checkout_url.split("/").pop()! };
}

async function agentRow(id: string) {
  const [row] = await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id));
  return row!;
}
async function ledgerCount(eventId: string): Promise<number> {
  return (await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, eventId))).length;
}
const about = (subscriptionId: string) => (e: Event) => JSON.stringify(e.data).includes(subscriptionId);
const ofType = (events: Event[], type: string) => events.filter((e) => e.type === type);

/** The row's billing state compared across runs (the period end relative to Stripe's own). */
async function billingState(agentId: string, subscriptionId: string) {
  const row = await agentRow(agentId);
  const sub = fake().subscription(subscriptionId)!;
  return {
    status: row.status,
    linked: row.stripeSubscriptionId === subscriptionId,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    periodEndMatchesStripe: row.currentPeriodEnd?.getTime() === sub.items.data[0]!.current_period_end * 1000,
  };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** checkout → failed renewal → paid renewal → cancel at period end: ends active, ending. */
async function lifecycle() {
  const agent = await newAgent();
  const { subscription } = fake().completeCheckout(agent.sessionId);
  fake().renew(subscription.id, false);
  fake().renew(subscription.id, true);
  fake().scheduleCancel(subscription.id);
  return { ...agent, subscriptionId: subscription.id, events: fake().events().filter(about(subscription.id)) };
}

describe("POST /api/webhooks/stripe: authentication", () => {
  it("answers 400 'Missing Stripe signature header' without the header", async () => {
    const res = await send(webhookRequest("{}", { "content-type": "application/json" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ detail: "Missing Stripe signature header" });
  });

  it("answers 400 'Invalid signature' for a wrong secret, a tampered body or a garbled header", async () => {
    const { sessionId } = await newAgent();
    fake().completeCheckout(sessionId);
    const payload = JSON.stringify(fake().events().at(-1), null, 2);
    const wrongSecret = await send(signed(payload, { secret: "whsec_someone_else" }));
    const good = signed(payload);
    const tampered = await send(
      webhookRequest(payload.replace('"complete"', '"open"'), {
        "stripe-signature": good.headers.get("stripe-signature")!,
      }),
    );
    const garbled = await send(webhookRequest(payload, { "stripe-signature": "t=abc,v1=zz" }));
    for (const res of [wrongSecret, tampered, garbled]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ detail: "Invalid signature" });
    }
  });

  it("accepts a signature made with any of several configured secrets (production's and a preview's endpoint)", async () => {
    const saved = process.env.STRIPE_WEBHOOK_SECRET;
    process.env.STRIPE_WEBHOOK_SECRET = `whsec_production_endpoint, ${TEST_WEBHOOK_SECRET}`;
    resetEnvCache();
    try {
      const { id, sessionId } = await newAgent();
      fake().completeCheckout(sessionId);
      const payload = JSON.stringify(fake().events().at(-1));
      expect((await send(signed(payload))).status).toBe(200);
      expect((await agentRow(id)).status).toBe("active");
      const other = await send(signed(payload, { secret: "whsec_not_listed" }));
      expect(other.status).toBe(400);
      expect(await other.json()).toMatchObject({ detail: "Invalid signature" });
    } finally {
      process.env.STRIPE_WEBHOOK_SECRET = saved;
      resetEnvCache();
    }
  });

  it("answers 400 'Invalid signature' for a signature older than five minutes", async () => {
    const payload = JSON.stringify({
      id: "evt_old",
      object: "event",
      type: "invoice.paid",
      created: 1,
      data: { object: {} },
    });
    const res = await send(signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ detail: "Invalid signature" });
    expect(await ledgerCount("evt_old")).toBe(0);
  });

  it("answers 400 'Invalid payload' for a signed body that is not a Stripe event", async () => {
    for (const payload of [
      "not json",
      "[]",
      "{}",
      JSON.stringify({ id: 5, type: "x", created: 1, data: { object: {} } }),
    ]) {
      const res = await send(signed(payload));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ detail: "Invalid payload" });
    }
  });

  it("answers 413 for an oversized body before verifying anything", async () => {
    const res = await send(signed("x".repeat(600 * 1024)));
    expect(res.status).toBe(413);
  });

  it("answers 500 when the webhook secret is not configured", async () => {
    const saved = process.env.STRIPE_WEBHOOK_SECRET;
    process.env.STRIPE_WEBHOOK_SECRET = "";
    resetEnvCache();
    try {
      const res = await send(signed("{}"));
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ code: "not_configured" });
    } finally {
      process.env.STRIPE_WEBHOOK_SECRET = saved;
      resetEnvCache();
    }
  });
});

describe("POST /api/webhooks/stripe: each event type", () => {
  it("checkout.session.completed alone activates the agent and records subscription and renewal date", async () => {
    const { id, sessionId } = await newAgent();
    const { subscription, events } = fake().completeCheckout(sessionId);
    const res = await send(signed(JSON.stringify(ofType(events, "checkout.session.completed")[0], null, 2)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(await billingState(id, subscription.id)).toEqual({
      status: "active",
      linked: true,
      cancelAtPeriodEnd: false,
      periodEndMatchesStripe: true,
    });
    expect((await agentRow(id)).lastEventAt).not.toBeNull();
  });

  it.each(["customer.subscription.created", "customer.subscription.updated", "invoice.paid"])(
    "%s alone links the agent through the subscription's metadata and applies Stripe's state",
    async (type) => {
      const { id, sessionId } = await newAgent();
      const { subscription, events } = fake().completeCheckout(sessionId);
      expect((await fake().deliver(ofType(events, type)[0]!)).status).toBe(200);
      expect(await billingState(id, subscription.id)).toMatchObject({ status: "active", linked: true });
    },
  );

  it("invoice.payment_failed on a renewal makes the agent past_due; the next invoice.paid makes it active again", async () => {
    const { id, sessionId } = await newAgent();
    const { subscription, events } = fake().completeCheckout(sessionId);
    await fake().deliver(ofType(events, "checkout.session.completed")[0]!);
    const failed = fake().renew(subscription.id, false);
    expect((await fake().deliver(ofType(failed.events, "invoice.payment_failed")[0]!)).status).toBe(200);
    expect((await agentRow(id)).status).toBe("past_due");
    const paid = fake().renew(subscription.id, true);
    await fake().deliver(ofType(paid.events, "invoice.paid")[0]!);
    expect(await billingState(id, subscription.id)).toMatchObject({ status: "active", periodEndMatchesStripe: true });
  });

  it("customer.subscription.updated with a scheduled cancellation sets cancel_at_period_end", async () => {
    const { id, sessionId } = await newAgent();
    const { subscription } = fake().completeCheckout(sessionId);
    const [updated] = fake().scheduleCancel(subscription.id);
    await fake().deliver(updated!);
    expect(await billingState(id, subscription.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
  });

  it("customer.subscription.deleted cancels the agent", async () => {
    const { id, sessionId } = await newAgent();
    const { subscription } = fake().completeCheckout(sessionId);
    const sdk = new Stripe("sk_test_x", { host: "127.0.0.1", port: new URL(fake().url).port, protocol: "http" });
    await sdk.subscriptions.cancel(subscription.id);
    const [deleted] = ofType(fake().events().filter(about(subscription.id)), "customer.subscription.deleted");
    expect((await fake().deliver(deleted!)).status).toBe(200);
    expect((await agentRow(id)).status).toBe("canceled");
  });

  it("answers 200 for events it does not handle and records nothing", async () => {
    const { sessionId } = await newAgent();
    const { events } = fake().completeCheckout(sessionId);
    const irrelevant = [...ofType(events, "invoice.created"), ...ofType(fake().events(), "customer.created").slice(-1)];
    expect(irrelevant.length).toBe(2);
    for (const event of irrelevant) {
      const res = await fake().deliver(event);
      expect(res.status).toBe(200);
      expect(await ledgerCount(event.id)).toBe(0);
    }
  });

  it("lets no metadata inside an event redirect a subscription's state to another agent", async () => {
    const victim = await newAgent();
    const attacker = await lifecycle();
    const invoicePaid = ofType(attacker.events, "invoice.paid")[0]!;
    const forged = structuredClone(invoicePaid) as Event & {
      data: { object: { parent: { subscription_details: { metadata: Record<string, string> } } } };
    };
    forged.id = "evt_forged_metadata";
    forged.data.object.parent.subscription_details.metadata.micro_agent_id = victim.id;
    expect((await send(signed(JSON.stringify(forged)))).status).toBe(200);
    expect((await agentRow(victim.id)).status).toBe("pending");
    expect((await agentRow(victim.id)).stripeSubscriptionId).toBeNull();
  });
});

describe("POST /api/webhooks/stripe: duplicates, order and failures", () => {
  it("applies each event once when every event is delivered three times", async () => {
    const run = await lifecycle();
    for (const event of run.events) {
      for (let i = 0; i < 3; i++) expect((await fake().deliver(event)).status).toBe(200);
    }
    const handled = run.events.filter((e) => e.type !== "invoice.created");
    for (const event of handled) expect(await ledgerCount(event.id)).toBe(1);
    expect(await billingState(run.id, run.subscriptionId)).toEqual({
      status: "active",
      linked: true,
      cancelAtPeriodEnd: true,
      periodEndMatchesStripe: true,
    });
  });

  it("ends in the same state as in-order delivery for 24 shuffled orders, and when all arrive at once", async () => {
    const inOrder = await lifecycle();
    for (const event of inOrder.events) await fake().deliver(event);
    const expected = await billingState(inOrder.id, inOrder.subscriptionId);
    expect(expected).toEqual({ status: "active", linked: true, cancelAtPeriodEnd: true, periodEndMatchesStripe: true });

    for (let seed = 1; seed <= 24; seed++) {
      const run = await lifecycle();
      const order = shuffle(run.events, seed);
      for (const event of order) expect((await fake().deliver(event)).status).toBe(200);
      expect({ seed, ...(await billingState(run.id, run.subscriptionId)) }).toEqual({ seed, ...expected });
    }

    const concurrent = await lifecycle();
    const results = await Promise.all(concurrent.events.flatMap((e) => [fake().deliver(e), fake().deliver(e)]));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await billingState(concurrent.id, concurrent.subscriptionId)).toEqual(expected);
  });

  it("ends canceled in every order when the lifecycle ends with the subscription deleted", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const run = await lifecycle();
      const sdk = new Stripe("sk_test_x", { host: "127.0.0.1", port: new URL(fake().url).port, protocol: "http" });
      await sdk.subscriptions.cancel(run.subscriptionId);
      const events = fake().events().filter(about(run.subscriptionId));
      for (const event of shuffle(events, seed)) await fake().deliver(event);
      expect(await billingState(run.id, run.subscriptionId)).toMatchObject({
        status: "canceled",
        cancelAtPeriodEnd: false,
      });
    }
  });

  it("answers 5xx when the database fails mid-apply, writes nothing, and the redelivery succeeds", async () => {
    const { id, sessionId } = await newAgent();
    const { events } = fake().completeCheckout(sessionId);
    const completed = ofType(events, "checkout.session.completed")[0]!;
    const db = await getDb();
    await db.execute(sql`create function fail_micro_agents() returns trigger language plpgsql as $$
      begin raise exception 'simulated database failure'; end $$`);
    await db.execute(sql`create trigger fail_micro_agents before update on micro_agents
      for each row execute function fail_micro_agents()`);
    try {
      const failed = await fake().deliver(completed);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(failed.body)).not.toHaveProperty("stack");
      expect(await ledgerCount(completed.id)).toBe(0);
      expect((await agentRow(id)).status).toBe("pending");
    } finally {
      await db.execute(sql`drop trigger fail_micro_agents on micro_agents`);
      await db.execute(sql`drop function fail_micro_agents()`);
    }
    expect((await fake().deliver(completed)).status).toBe(200);
    expect(await ledgerCount(completed.id)).toBe(1);
    expect((await agentRow(id)).status).toBe("active");
  });

  it("answers 502 when Stripe cannot be read back, and the redelivery succeeds", async () => {
    const { id, sessionId } = await newAgent();
    const { events } = fake().completeCheckout(sessionId);
    const completed = ofType(events, "checkout.session.completed")[0]!;
    fake().failNext("GET", /^\/v1\/subscriptions\//, 500);
    expect((await fake().deliver(completed)).status).toBe(502);
    expect(await ledgerCount(completed.id)).toBe(0);
    expect((await fake().deliver(completed)).status).toBe(200);
    expect((await agentRow(id)).status).toBe("active");
  });

  it("delivers automatically with Stripe's retries: a full checkout lands without help", async () => {
    fake().setAutoDeliver(true);
    const { id, sessionId } = await newAgent();
    const { subscription } = fake().completeCheckout(sessionId);
    await fake().settled();
    expect(await billingState(id, subscription.id)).toMatchObject({ status: "active", linked: true });
    const mine = fake()
      .deliveries()
      .filter((d) =>
        fake()
          .events()
          .some((e) => e.id === d.eventId && about(subscription.id)(e)),
      );
    expect(mine.every((d) => d.status === 200)).toBe(true);
  });
});

describe("POST /api/webhooks/stripe: the endpoint's API version", () => {
  afterEach(() => fake().setWebhookApiVersion(STRIPE_API_VERSION));

  it("a failed renewal from an endpoint older than basil (invoice with a top-level subscription) still reaches the row", async () => {
    const { id, sessionId } = await newAgent();
    const { subscription, events } = fake().completeCheckout(sessionId);
    for (const e of events) expect((await fake().deliver(e)).status).toBe(200);
    expect((await agentRow(id)).status).toBe("active");

    fake().setWebhookApiVersion("2024-06-20");
    const failed = ofType(fake().renew(subscription.id, false).events, "invoice.payment_failed")[0]!;
    const delivery = await fake().deliver(failed);
    expect(JSON.parse(fake().render(failed).payload)).not.toHaveProperty("data.object.parent");
    expect(delivery.status).toBe(200);
    expect(await ledgerCount(failed.id)).toBe(1); // acted on, not "ignored"
    expect((await agentRow(id)).status).toBe("past_due");
  });

  it("refuses with 400 naming the version a handled event rendered in a version newer than the app reads", async () => {
    const { id, sessionId } = await newAgent();
    const { events } = fake().completeCheckout(sessionId);
    const completed = ofType(events, "checkout.session.completed")[0]!;
    const delivery = await fake().deliver(completed, { apiVersion: "2099-01-01.zeta" });
    expect(delivery.status).toBe(400);
    expect(JSON.parse(delivery.body)).toMatchObject({
      code: "unsupported_api_version",
      detail: expect.stringContaining("2099-01-01.zeta"),
    });
    expect(await ledgerCount(completed.id)).toBe(0);
    expect((await agentRow(id)).status).toBe("pending");
    // An event the app does not act on is still acknowledged.
    const created = fake()
      .events()
      .find((e) => e.type === "customer.created")!;
    expect((await fake().deliver(created, { apiVersion: "2099-01-01.zeta" })).status).toBe(200);
  });
});
