/** POST /api/microagents/{id}/plan: monthly ↔ yearly through Stripe's subscription update, end to end. */
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { TEST_STRIPE_KEY, useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { canUseWorkflow } from "@/lib/billing/entitlements";
import { POST as subscribeRoute } from "../../subscribe/route";
import { POST as planRoute } from "./route";

useTestDatabase();
const stripeFake = useStripeFake(webhook);
afterEach(() => stripeFake.get().setAutoDeliver(true));

type Body = Record<string, unknown>;

async function changePlan(user: TestUser | null, id: string, body: unknown, raw?: string) {
  const res = await planRoute(
    new Request(`http://app.test/api/microagents/${id}/plan`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(user?.headers ?? {}) },
      body: raw ?? JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
  return { status: res.status, body: (await res.json()) as Body };
}

async function subscribed(user: TestUser, priceId: string = SEED_PRICES.monthly, workflowId = "wf_inbox_triage") {
  const res = await subscribeRoute(
    new Request("http://app.test/api/microagents/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json", ...user.headers },
      body: JSON.stringify({ workflow_id: workflowId, price_id: priceId }),
    }),
    undefined,
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { id: body.micro_agent_id, sessionId: body.checkout_url.split("/").pop()! };
}

async function activeAgent(user: TestUser, priceId: string = SEED_PRICES.monthly, workflowId = "wf_inbox_triage") {
  const { id, sessionId } = await subscribed(user, priceId, workflowId);
  const { subscription } = stripeFake.get().completeCheckout(sessionId);
  await stripeFake.get().settled();
  return { id, subscriptionId: subscription.id };
}

async function row(id: string) {
  const [r] = await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id));
  return r!;
}

const updates = (subscriptionId: string) =>
  stripeFake
    .get()
    .requests()
    .filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`);

const sdk = () =>
  new Stripe(TEST_STRIPE_KEY, { host: "127.0.0.1", port: new URL(stripeFake.get().url).port, protocol: "http" });

describe("POST /api/microagents/{id}/plan", () => {
  it("switches monthly → yearly → monthly with proration, and the row and the webhook follow Stripe", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    const monthlyEnd = (await row(id)).currentPeriodEnd!;

    const toYearly = await changePlan(user, id, { price_id: SEED_PRICES.yearly });
    expect(toYearly.status).toBe(200);
    expect(toYearly.body).toMatchObject({ id, status: "active", stripe_price_id: SEED_PRICES.yearly });
    const item = stripeFake.get().subscription(subscriptionId)!.items.data[0]!;
    expect(updates(subscriptionId).at(-1)!.params).toEqual({
      items: [{ id: item.id, price: SEED_PRICES.yearly }],
      proration_behavior: "create_prorations",
    });
    expect(item.price.id).toBe(SEED_PRICES.yearly);
    // A change of interval restarts the period: it now ends a year out.
    const yearlyEnd = new Date(toYearly.body.current_period_end as string);
    expect(yearlyEnd.getTime()).toBe(item.current_period_end * 1000);
    expect(yearlyEnd.getTime() - monthlyEnd.getTime()).toBeGreaterThan(300 * 86_400_000);

    await stripeFake.get().settled();
    const updated = stripeFake
      .get()
      .events()
      .filter((e) => e.type === "customer.subscription.updated" && JSON.stringify(e).includes(SEED_PRICES.yearly));
    expect(updated).toHaveLength(1);
    const delivery = stripeFake
      .get()
      .deliveries()
      .find((d) => d.eventId === updated[0]!.id);
    expect(delivery?.status).toBe(200);
    expect(await row(id)).toMatchObject({ stripePriceId: SEED_PRICES.yearly, status: "active" });

    const back = await changePlan(user, id, { price_id: SEED_PRICES.monthly });
    expect(back.body).toMatchObject({ stripe_price_id: SEED_PRICES.monthly, status: "active" });
    expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(true);
  });

  it("follows a plan changed at Stripe itself (e.g. its billing portal) through the webhook alone", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    stripeFake.get().setAutoDeliver(false);
    const sub = await sdk().subscriptions.retrieve(subscriptionId);
    await sdk().subscriptions.update(subscriptionId, {
      items: [{ id: sub.items.data[0]!.id, price: SEED_PRICES.yearly }],
    });
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.monthly);

    const event = stripeFake
      .get()
      .events()
      .filter((e) => e.type === "customer.subscription.updated")
      .at(-1)!;
    expect((await stripeFake.get().deliver(event)).status).toBe(200);
    expect(await row(id)).toMatchObject({ stripePriceId: SEED_PRICES.yearly, status: "active" });
  });

  it("moves the entitlement with the price when Stripe switches the subscription to another product", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    expect(await canUseWorkflow(user.id, "wf_meeting_notes")).toBe(false);
    const sub = await sdk().subscriptions.retrieve(subscriptionId);
    await sdk().subscriptions.update(subscriptionId, {
      items: [{ id: sub.items.data[0]!.id, price: SEED_PRICES.otherMonthly }],
    });
    await stripeFake.get().settled();
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.otherMonthly);
    expect(await canUseWorkflow(user.id, "wf_meeting_notes")).toBe(true);
    expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(false);
  });

  it("answers the agent unchanged, without calling Stripe, when it is already on that plan", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    const calls = stripeFake.get().requests().length;
    const res = await changePlan(user, id, { price_id: SEED_PRICES.monthly });
    expect(res).toMatchObject({ status: 200, body: { stripe_price_id: SEED_PRICES.monthly } });
    expect(stripeFake.get().requests().length).toBe(calls);
    expect(updates(subscriptionId)).toHaveLength(0);
  });

  it.each([
    [
      "a plan of another micro-agent",
      SEED_PRICES.otherMonthly,
      "is a plan of “Meeting notes”, not of this micro-agent",
    ],
    ["an unknown price", "price_nope", "No such price"],
    ["a one-time price", SEED_PRICES.oneTime, "not a recurring"],
    ["an archived price", SEED_PRICES.retired, "no longer available"],
    ["a price outside the catalogue", SEED_PRICES.unlisted, "not part of the micro-agent catalogue"],
  ])("refuses %s with 422 on price_id and changes nothing", async (_name, priceId, message) => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    const res = await changePlan(user, id, { price_id: priceId });
    expect(res.status).toBe(422);
    const issues = res.body.issues as { path: string; message: string }[];
    expect(issues[0]!.path).toBe("price_id");
    expect(issues[0]!.message).toContain(message);
    expect(updates(subscriptionId)).toHaveLength(0);
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.monthly);
  });

  it("answers 409 for an agent that is not active (awaiting payment or canceled)", async () => {
    const user = await createTestUser();
    const pending = await subscribed(user);
    expect(await changePlan(user, pending.id, { price_id: SEED_PRICES.yearly })).toMatchObject({
      status: 409,
      body: { code: "not_active", detail: "Only an active micro-agent can change plan." },
    });
    const { id } = await activeAgent(user);
    await (await getDb()).update(microAgents).set({ status: "canceled" }).where(eq(microAgents.id, id));
    expect((await changePlan(user, id, { price_id: SEED_PRICES.yearly })).status).toBe(409);
  });

  it("answers 404 for unknown, malformed and other users' ids, leaving their subscription alone", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    const theirs = await activeAgent(other);
    for (const id of [theirs.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid", "..%2F..%2Fme"]) {
      const res = await changePlan(user, id, { price_id: SEED_PRICES.yearly });
      expect(res).toMatchObject({ status: 404, body: { detail: "Micro agent not found" } });
    }
    expect(updates(theirs.subscriptionId)).toHaveLength(0);
    expect((await row(theirs.id)).stripePriceId).toBe(SEED_PRICES.monthly);
  });

  it("answers 400/413/422 for malformed, oversized and hostile bodies, and 401 without credentials", async () => {
    const user = await createTestUser();
    const { id, subscriptionId } = await activeAgent(user);
    expect((await changePlan(user, id, null, "{nope")).status).toBe(400);
    expect((await changePlan(user, id, null, "")).status).toBe(400);
    expect((await changePlan(user, id, { price_id: "p".repeat(10_000) })).status).toBe(413);
    for (const body of [{}, { price_id: 5 }, { price_id: "../customers" }, { price_id: "" }, [SEED_PRICES.yearly]]) {
      const res = await changePlan(user, id, body);
      expect(res.status).toBe(422);
    }
    expect((await changePlan(null, id, { price_id: SEED_PRICES.yearly })).status).toBe(401);
    expect(updates(subscriptionId)).toHaveLength(0);
  });

  it("answers 502 when Stripe refuses the update, and the agent keeps its plan", async () => {
    const user = await createTestUser();
    const { id } = await activeAgent(user);
    stripeFake.get().failNext("POST", /^\/v1\/subscriptions\/sub_/, 400, "invalid_request_error", "Refused");
    const res = await changePlan(user, id, { price_id: SEED_PRICES.yearly });
    expect(res).toMatchObject({ status: 502, body: { detail: "Stripe error", code: "stripe_error" } });
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.monthly);
  });

  it("answers 502 saying to try again when Stripe fails the update, and the retry goes through", async () => {
    const user = await createTestUser();
    const { id } = await activeAgent(user);
    stripeFake.get().failNext("POST", /^\/v1\/subscriptions\/sub_/, 500);
    const res = await changePlan(user, id, { price_id: SEED_PRICES.yearly });
    expect(res).toMatchObject({ status: 502, body: { code: "stripe_unavailable" } });
    expect((res.body as { detail: string }).detail).toMatch(/try again/);
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.monthly);
    expect(await changePlan(user, id, { price_id: SEED_PRICES.yearly })).toMatchObject({ status: 200 });
    expect((await row(id)).stripePriceId).toBe(SEED_PRICES.yearly);
  });
});
