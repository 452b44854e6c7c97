import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { POST as subscribeRoute } from "@/app/api/microagents/subscribe/route";
import { drainJobsNow, JOB_KINDS } from "@/lib/jobs";
import { CHECKOUT_LIFETIME_SECONDS, checkoutSweepJobKind, sweepAbandonedCheckouts } from "./checkout-expiry";

useTestDatabase();
// Deliveries by hand: a test decides which webhooks arrive and which are lost.
const stripeFake = useStripeFake(webhook, { autoDeliver: false });
const fake = () => stripeFake.get();

async function subscribe(user: TestUser): Promise<Response> {
  return subscribeRoute(
    new Request("http://app.test/api/microagents/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json", ...user.headers },
      body: JSON.stringify({ workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly }),
    }),
    undefined,
  );
}
async function newAgent(user: TestUser) {
  const res = await subscribe(user);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { id: body.micro_agent_id, sessionId: body.checkout_url.split("/").pop()! };
}
async function row(id: string) {
  const [r] = await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id));
  return r!;
}
/** The sweep as the cron runs it, at a time when every checkout made so far has outlived its session. */
const sweepLater = async () =>
  sweepAbandonedCheckouts(await getDb(), {
    now: () => new Date(Date.now() + (CHECKOUT_LIFETIME_SECONDS + 3600) * 1000),
  });

describe("checkouts nobody finishes", () => {
  it("checkout.session.expired ends the pending agent, once: a redelivery changes nothing", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await newAgent(user);
    const expired = fake()
      .advanceClock(24 * 3600 + 1)
      .filter((e) => e.type === "checkout.session.expired" && e.data.object.id === sessionId);
    expect(expired).toHaveLength(1);
    expect(fake().session(sessionId)).toMatchObject({ status: "expired", url: null });
    expect((await fake().deliver(expired[0]!)).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "canceled", stripeSubscriptionId: null });
    expect((await fake().deliver(expired[0]!)).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "canceled", stripeSubscriptionId: null });
  });

  it("an expired-session event cannot end an agent whose session Stripe still has open", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await newAgent(user);
    const forged = {
      ...fake().events().at(-1)!,
      id: "evt_forged_expiry",
      type: "checkout.session.expired" as const,
      data: { object: { ...fake().session(sessionId)!, status: "expired" } },
    };
    expect((await fake().deliver(forged)).status).toBe(200);
    expect((await row(id)).status).toBe("pending");
  });

  it("the sweep asks Stripe about pending checkouts whose expiry webhook was lost", async () => {
    const user = await createTestUser();
    const lost = await newAgent(user);
    const paidButLost = await newAgent(user);
    fake().completeCheckout(paidButLost.sessionId); // paid; none of its webhooks arrives
    fake().advanceClock(24 * 3600 + 1); // the other expires; that webhook is lost too
    const fresh = await newAgent(user); // made just now: its session is still open

    const report = await sweepLater();
    expect(report.failed).toBe(0);
    expect(report.done).toBeGreaterThanOrEqual(3);
    expect(await row(lost.id)).toMatchObject({ status: "canceled" });
    expect(await row(paidButLost.id)).toMatchObject({ status: "active" });
    expect((await row(paidButLost.id)).stripeSubscriptionId).toMatch(/^sub_/);
    expect((await row(fresh.id)).status).toBe("pending");
    // A plain drain right now (nothing older than a session can live) leaves the fresh one alone.
    expect(await sweepAbandonedCheckouts(await getDb())).toMatchObject({ failed: 0 });
    expect((await row(fresh.id)).status).toBe("pending");
  });

  it("the sweep leaves a row for the next run when Stripe cannot be asked", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await newAgent(user);
    fake().advanceClock(24 * 3600 + 1);
    fake().failNext("GET", new RegExp(`^/v1/checkout/sessions/${sessionId}$`), 500);
    const first = await sweepLater();
    expect(first.retried).toBe(1);
    expect((await row(id)).status).toBe("pending");
    await sweepLater();
    expect((await row(id)).status).toBe("canceled");
  });

  it("the sweep ends a pending row whose session Stripe no longer has, instead of asking about it on every run", async () => {
    const user = await createTestUser();
    const { id } = await newAgent(user);
    await (
      await getDb()
    )
      .update(microAgents)
      .set({ stripeCheckoutSessionId: "cs_test_gone_from_stripe" })
      .where(eq(microAgents.id, id));
    const report = await sweepLater();
    expect(report).toMatchObject({ failed: 0, retried: 0 });
    expect(await row(id)).toMatchObject({ status: "canceled", stripeSubscriptionId: null });
  });

  it("the drain after a request never runs the sweep: it is the cron's and the worker's", async () => {
    expect(JOB_KINDS.find((k) => k.name === checkoutSweepJobKind.name)?.scheduledOnly).toBe(true);
    const user = await createTestUser();
    const { id } = await newAgent(user);
    fake().advanceClock(24 * 3600 + 1); // expired, its webhook lost
    const asked = () =>
      fake()
        .requests()
        .filter((r) => r.path.startsWith("/v1/checkout/sessions/")).length;
    const before = asked();
    const report = (await drainJobsNow()) as { kinds: Record<string, unknown> };
    expect(report.kinds).not.toHaveProperty(checkoutSweepJobKind.name);
    expect(asked()).toBe(before);
    expect((await row(id)).status).toBe("pending");
  });
});
