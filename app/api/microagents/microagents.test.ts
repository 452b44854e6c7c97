import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { microAgents, users } from "@/db/schema";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { TEST_STRIPE_KEY, useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { resetEnvCache } from "@/lib/env";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { POST as subscribeRoute } from "./subscribe/route";
import { GET as meRoute } from "./me/route";
import { POST as cancelRoute } from "./[id]/cancel/route";

useTestDatabase();
const stripeFake = useStripeFake(webhook);

const ORIGIN = "http://app.test";
type Body = Record<string, unknown>;

async function subscribe(user: TestUser | null, body: unknown, raw?: string): Promise<Response> {
  return subscribeRoute(
    new Request(`${ORIGIN}/api/microagents/subscribe`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(user?.headers ?? {}) },
      body: raw ?? JSON.stringify(body),
    }),
    undefined,
  );
}
const me = (user: TestUser | null) =>
  meRoute(new Request(`${ORIGIN}/api/microagents/me`, { headers: user?.headers ?? {} }), undefined);
const cancel = (user: TestUser | null, id: string) =>
  cancelRoute(new Request(`${ORIGIN}/api/microagents/${id}/cancel`, { method: "POST", headers: user?.headers ?? {} }), {
    params: Promise.resolve({ id }),
  });

const valid = { agent_name: "My inbox", workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly };

async function rowsOf(userId: string) {
  const db = await getDb();
  return db.select().from(microAgents).where(eq(microAgents.userId, userId));
}

async function subscribed(user: TestUser, body: Body = valid): Promise<{ id: string; sessionId: string }> {
  const res = await subscribe(user, body);
  expect(res.status).toBe(201);
  const json = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { id: json.micro_agent_id, sessionId: json.checkout_url.split("/").pop()! };
}

/** Subscribes and completes the checkout at the fake; its webhooks reach the route in-process. */
async function activeAgent(user: TestUser) {
  const { id, sessionId } = await subscribed(user);
  const { subscription } = stripeFake.get().completeCheckout(sessionId);
  await stripeFake.get().settled();
  return { id, sessionId, subscriptionId: subscription.id };
}

afterEach(() => stripeFake.get().setAutoDeliver(true));

describe("POST /api/microagents/subscribe", () => {
  it("creates a pending micro-agent and a subscription-mode Checkout session carrying its ids", async () => {
    const user = await createTestUser();
    const res = await subscribe(user, valid);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { checkout_url: string; micro_agent_id: string };
    expect(body.checkout_url).toMatch(new RegExp(`^${stripeFake.get().url}/checkout/cs_test_`));

    const [row] = await rowsOf(user.id);
    expect(row).toMatchObject({
      id: body.micro_agent_id,
      status: "pending",
      agentName: "My inbox",
      workflowId: "wf_inbox_triage",
      stripePriceId: SEED_PRICES.monthly,
      stripeSubscriptionId: null,
    });
    const create = stripeFake
      .get()
      .requests()
      .filter((r) => r.path === "/v1/checkout/sessions")
      .at(-1)!;
    const metadata = { micro_agent_id: body.micro_agent_id, user_id: user.id, workflow_id: "wf_inbox_triage" };
    expect(create.headers["stripe-version"]).toBe("2026-10-28.endive");
    expect(create.params).toMatchObject({
      mode: "subscription",
      client_reference_id: user.id,
      line_items: [{ price: SEED_PRICES.monthly, quantity: "1" }],
      metadata,
      subscription_data: { metadata },
      success_url: `${ORIGIN}/dashboard/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${ORIGIN}/dashboard/cancelled`,
    });
    const session = stripeFake.get().session(row!.stripeCheckoutSessionId!)!;
    const [userRow] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    expect(session.customer).toBe(userRow!.stripeCustomerId);
  });

  it("creates one Stripe customer per user, even for concurrent first checkouts", async () => {
    const user = await createTestUser();
    const before = stripeFake.get().customers().length;
    const results = await Promise.all([1, 2, 3, 4].map(() => subscribe(user, valid)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    await subscribed(user);
    const mine = stripeFake
      .get()
      .customers()
      .filter((c) => (c.metadata as Body).user_id === user.id);
    expect(mine).toHaveLength(1);
    expect(stripeFake.get().customers().length - before).toBe(1);
    const [userRow] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    expect(userRow!.stripeCustomerId).toBe(mine[0]!.id);
    expect(await rowsOf(user.id)).toHaveLength(5);
  });

  it.each([
    ["an unknown price", "price_does_not_exist", "No such price"],
    ["an inactive price", SEED_PRICES.retired, "no longer available"],
    ["a one-time price", SEED_PRICES.oneTime, "not a recurring"],
    ["a recurring price outside the catalogue", SEED_PRICES.unlisted, "not part of the micro-agent catalogue"],
  ])("answers 422 for %s and writes nothing", async (_name, priceId, message) => {
    const user = await createTestUser();
    const res = await subscribe(user, { ...valid, price_id: priceId });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; issues: { path: string; message: string }[] };
    expect(body.code).toBe("validation_error");
    expect(body.issues[0]).toMatchObject({ path: "price_id" });
    expect(body.issues[0]!.message).toContain(message);
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it.each([
    ["a number as agent_name", { ...valid, agent_name: 7 }, "agent_name"],
    ["a blank agent_name", { ...valid, agent_name: "   " }, "agent_name"],
    ["an over-long agent_name", { ...valid, agent_name: "x".repeat(101) }, "agent_name"],
    ["control characters", { ...valid, agent_name: "a\u0000b" }, "agent_name"],
    ["a lone surrogate in agent_name", { ...valid, agent_name: "a\ud800b" }, "agent_name"],
    ["a lone surrogate in workflow_id", { ...valid, workflow_id: "wf_\udfff" }, "workflow_id"],
    ["a missing workflow_id", { agent_name: "a", price_id: SEED_PRICES.monthly }, "workflow_id"],
    ["a number as price_id", { ...valid, price_id: 42 }, "price_id"],
    ["a path in price_id", { ...valid, price_id: "../customers" }, "price_id"],
    ["an array body", [valid], ""],
  ])("answers 422 for %s", async (_name, body, path) => {
    const user = await createTestUser();
    const res = await subscribe(user, body);
    expect(res.status).toBe(422);
    const json = (await res.json()) as { issues: { path: string }[] };
    expect(json.issues[0]!.path).toBe(path);
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it("refuses a workflow and a price of different catalogue entries (422 on workflow_id) and writes nothing", async () => {
    const user = await createTestUser();
    for (const [workflow_id, price_id] of [
      ["wf_meeting_notes", SEED_PRICES.monthly], // a cheaper plan cannot unlock another agent
      ["wf_inbox_triage", SEED_PRICES.otherMonthly],
      ["wf_not_in_the_catalogue", SEED_PRICES.yearly],
    ] as const) {
      const res = await subscribe(user, { workflow_id, price_id });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { detail: string; issues: { path: string; message: string }[] };
      expect(body.detail).toBe("The workflow and the price belong to different micro-agents");
      expect(body.issues).toHaveLength(1);
      expect(body.issues[0]!.path).toBe("workflow_id");
      expect(body.issues[0]!.message).toContain(`not ${workflow_id}`);
    }
    expect(await rowsOf(user.id)).toHaveLength(0);
    expect(
      stripeFake
        .get()
        .requests()
        .filter((r) => r.path === "/v1/checkout/sessions" && r.params.client_reference_id === user.id),
    ).toHaveLength(0);
  });

  it("refuses a plan of a product that is no longer offered", async () => {
    const user = await createTestUser();
    stripeFake.get().addProduct({
      id: "prod_sunset",
      name: "Sunset agent",
      active: false,
      metadata: { workflow_id: "wf_sunset" },
    });
    stripeFake.get().addPrice({ id: "price_sunset_monthly", product: "prod_sunset" });
    const res = await subscribe(user, { workflow_id: "wf_sunset", price_id: "price_sunset_monthly" });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("Sunset agent is no longer offered");
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it("names the agent after its product when no agent_name is sent", async () => {
    const user = await createTestUser();
    const res = await subscribe(user, { workflow_id: "wf_meeting_notes", price_id: SEED_PRICES.otherMonthly });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { micro_agent: Body };
    expect(body.micro_agent).toMatchObject({
      agent_name: "Meeting notes",
      workflow_id: "wf_meeting_notes",
      stripe_price_id: SEED_PRICES.otherMonthly,
    });
  });

  it("recreates a customer deleted at Stripe on the next checkout instead of failing every time", async () => {
    const user = await createTestUser();
    await subscribed(user);
    const db = await getDb();
    const [before] = await db.select().from(users).where(eq(users.id, user.id));
    const gone = before!.stripeCustomerId!;
    const sdk = new Stripe(TEST_STRIPE_KEY, {
      host: "127.0.0.1",
      port: new URL(stripeFake.get().url).port,
      protocol: "http",
    });
    await sdk.customers.del(gone);

    const results = await Promise.all([1, 2].map(() => subscribe(user, valid)));
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    const [after] = await db.select().from(users).where(eq(users.id, user.id));
    const replacement = after!.stripeCustomerId!;
    expect(replacement).not.toBe(gone);
    expect(
      stripeFake
        .get()
        .customers()
        .filter((c) => (c.metadata as Body).user_id === user.id)
        .map((c) => c.id),
    ).toEqual([replacement]);
    for (const res of results) {
      const { checkout_url } = (await res.json()) as { checkout_url: string };
      expect(stripeFake.get().session(checkout_url.split("/").pop()!)!.customer).toBe(replacement);
    }
    expect(await rowsOf(user.id)).toHaveLength(3);
    expect((await subscribe(user, valid)).status).toBe(201); // and the next one goes straight through
  });

  it("answers 400 for malformed or empty JSON and 413 for an oversized body", async () => {
    const user = await createTestUser();
    expect((await subscribe(user, null, "{not json")).status).toBe(400);
    expect((await subscribe(user, null, "")).status).toBe(400);
    expect((await subscribe(user, null, JSON.stringify({ ...valid, agent_name: "x".repeat(20_000) }))).status).toBe(
      413,
    );
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it("answers 401 without credentials or with a forged token", async () => {
    expect((await subscribe(null, valid)).status).toBe(401);
    const forged = { id: "x", email: "x", token: "x", headers: { authorization: "Bearer not.a.jwt" } };
    const res = await subscribe(forged, valid);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("answers 502 saying to try again when Checkout fails at Stripe, leaving no pending row", async () => {
    const user = await createTestUser();
    stripeFake.get().failNext("POST", /^\/v1\/checkout\/sessions$/, 500);
    const res = await subscribe(user, valid);
    expect(res.status).toBe(502);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = (await res.json()) as { detail: string; code: string };
    expect(body.code).toBe("stripe_unavailable");
    expect(body.detail).toMatch(/try again in a moment/);
    expect(await rowsOf(user.id)).toHaveLength(0);
    expect((await subscribe(user, valid)).status).toBe(201); // and the retry goes through
  });

  it("answers 502 'Stripe error' when Stripe refuses the Checkout request, leaving no pending row", async () => {
    const user = await createTestUser();
    stripeFake.get().failNext("POST", /^\/v1\/checkout\/sessions$/, 400, "invalid_request_error", "Refused");
    const res = await subscribe(user, valid);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ detail: "Stripe error", code: "stripe_error" });
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it("a Stripe 500 while creating the customer costs the user one retry, not a day, and makes one customer", async () => {
    const user = await createTestUser();
    // Stripe saves this 500 under the request's idempotency key and replays it to that key for 24 h.
    stripeFake.get().failNext("POST", /^\/v1\/customers$/, 500);
    const first = await subscribe(user, valid);
    expect(first.status).toBe(502);
    expect(await first.json()).toMatchObject({ code: "stripe_unavailable" });
    expect(await rowsOf(user.id)).toHaveLength(0);
    for (let i = 0; i < 2; i++) expect((await subscribe(user, valid)).status).toBe(201);
    const mine = stripeFake
      .get()
      .customers()
      .filter((c) => c.metadata.user_id === user.id);
    expect(mine).toHaveLength(1);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.stripeCustomerId).toBe(mine[0]!.id);
  });

  it("adopts the customer an earlier attempt made at Stripe when that answer was lost, instead of making a second", async () => {
    const user = await createTestUser();
    const sdk = new Stripe(TEST_STRIPE_KEY, {
      host: "127.0.0.1",
      port: new URL(stripeFake.get().url).port,
      protocol: "http",
    });
    // Created at Stripe, but the request that made it never stored it (a crash, a timeout).
    const orphan = await sdk.customers.create({ email: user.email, metadata: { user_id: user.id } });
    expect((await subscribe(user, valid)).status).toBe(201);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.stripeCustomerId).toBe(orphan.id);
    expect(
      stripeFake
        .get()
        .customers()
        .filter((c) => c.metadata.user_id === user.id),
    ).toHaveLength(1);
  });

  it("answers 502 when Stripe cannot check the price or create the customer", async () => {
    const user = await createTestUser();
    stripeFake.get().failNext("GET", /^\/v1\/prices\//, 503);
    expect((await subscribe(user, valid)).status).toBe(502);
    stripeFake.get().failNext("POST", /^\/v1\/customers$/, 402, "card_error", "declined");
    expect((await subscribe(user, valid)).status).toBe(502);
    expect(await rowsOf(user.id)).toHaveLength(0);
    const [userRow] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    expect(userRow!.stripeCustomerId).toBeNull();
  });

  it("answers 500 'Stripe secret key is not configured' without a key", async () => {
    const user = await createTestUser();
    const saved = process.env.STRIPE_SECRET_KEY;
    process.env.STRIPE_SECRET_KEY = "";
    resetEnvCache();
    try {
      const res = await subscribe(user, valid);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ detail: "Stripe secret key is not configured" });
    } finally {
      process.env.STRIPE_SECRET_KEY = saved;
      resetEnvCache();
    }
  });
});

describe("GET /api/microagents/me", () => {
  it("lists only the caller's micro-agents, newest first, in the contract's shape", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const first = await subscribed(user, { ...valid, agent_name: "First" });
    const second = await subscribed(user, { ...valid, agent_name: "Second" });
    await subscribed(other, { ...valid, agent_name: "Not yours" });

    const res = await me(user);
    expect(res.status).toBe(200);
    const list = (await res.json()) as Body[];
    expect(list.map((a) => a.id)).toEqual([second.id, first.id]);
    expect(Object.keys(list[0]!).sort()).toEqual(
      [
        "agent_name",
        "cancel_at_period_end",
        "created_at",
        "current_period_end",
        "id",
        "status",
        "stripe_price_id",
        "stripe_subscription_id",
        "updated_at",
        "workflow_id",
      ].sort(),
    );
    expect(list[0]).toMatchObject({
      agent_name: "Second",
      status: "pending",
      current_period_end: null,
      cancel_at_period_end: false,
    });
  });

  it("shows the state the webhook wrote: active, subscription id and renewal date", async () => {
    const user = await createTestUser();
    const { subscriptionId } = await activeAgent(user);
    const [agent] = (await (await me(user)).json()) as Body[];
    const periodEnd = stripeFake.get().subscription(subscriptionId)!.items.data[0]!.current_period_end;
    expect(agent).toMatchObject({
      status: "active",
      stripe_subscription_id: subscriptionId,
      current_period_end: new Date(periodEnd * 1000).toISOString(),
    });
  });

  it("answers an empty list for a new user and 401 without credentials", async () => {
    expect(await (await me(await createTestUser())).json()).toEqual([]);
    expect((await me(null)).status).toBe(401);
  });
});

describe("POST /api/microagents/{id}/cancel", () => {
  it("cancels an active subscription at Stripe immediately and answers the canceled agent", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    const res = await cancel(user, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: "canceled", stripe_subscription_id: subscriptionId });
    expect(stripeFake.get().subscription(subscriptionId)!.status).toBe("canceled");
    await stripeFake.get().settled(); // customer.subscription.deleted arrives afterwards and changes nothing
    expect((await rowsOf(user.id))[0]!.status).toBe("canceled");
  });

  it("is idempotent: a second cancel answers 200 without calling Stripe again", async () => {
    const user = await createTestUser();
    const { id } = await activeAgent(user);
    expect((await cancel(user, id)).status).toBe(200);
    await stripeFake.get().settled(); // the resulting webhook re-reads the subscription
    const calls = stripeFake.get().requests().length;
    const again = await cancel(user, id);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "canceled" });
    expect(stripeFake.get().requests().length).toBe(calls);
  });

  it("treats a subscription Stripe already canceled as done", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    stripeFake.get().setAutoDeliver(false);
    const sdk = new Stripe(TEST_STRIPE_KEY, {
      host: "127.0.0.1",
      port: new URL(stripeFake.get().url).port,
      protocol: "http",
    });
    await sdk.subscriptions.cancel(subscriptionId);
    const res = await cancel(user, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "canceled" });
  });

  it("expires the open checkout of a pending agent so it can no longer be paid", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribed(user);
    const res = await cancel(user, id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "canceled", stripe_subscription_id: null });
    expect(stripeFake.get().session(sessionId)!.status).toBe("expired");
  });

  it("cancels the subscription of a checkout that completed before its webhook arrived", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribed(user);
    stripeFake.get().setAutoDeliver(false);
    const { subscription } = stripeFake.get().completeCheckout(sessionId);
    const res = await cancel(user, id);
    expect(await res.json()).toMatchObject({ status: "canceled", stripe_subscription_id: subscription.id });
    expect(stripeFake.get().subscription(subscription.id)!.status).toBe("canceled");
    // The late webhooks then arrive: the agent stays canceled.
    for (const event of stripeFake
      .get()
      .events()
      .filter((e) => JSON.stringify(e).includes(subscription.id))) {
      expect((await stripeFake.get().deliver(event)).status).toBe(200);
    }
    expect((await rowsOf(user.id))[0]!.status).toBe("canceled");
  });

  it("answers 502 and changes nothing when Stripe fails to cancel", async () => {
    const user = await createTestUser();
    const { id } = await activeAgent(user);
    stripeFake.get().failNext("DELETE", /^\/v1\/subscriptions\//, 500);
    const res = await cancel(user, id);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: "stripe_unavailable", detail: expect.stringMatching(/try again/) });
    expect((await rowsOf(user.id))[0]!.status).toBe("active");
  });

  it("answers 404 'Micro agent not found' for unknown, malformed and other users' ids", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const theirs = await activeAgent(other);
    for (const id of [theirs.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid", "%27%20or%201=1"]) {
      const res = await cancel(user, id);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ detail: "Micro agent not found" });
    }
    expect((await rowsOf(other.id))[0]!.status).toBe("active");
    expect(stripeFake.get().subscription(theirs.subscriptionId)!.status).toBe("active");
  });

  it("answers 401 without credentials", async () => {
    expect((await cancel(null, "00000000-0000-4000-8000-000000000000")).status).toBe(401);
  });
});
