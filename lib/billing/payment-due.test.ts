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
import { POST as planRoute } from "@/app/api/microagents/[id]/plan/route";
import { canUseWorkflow } from "./entitlements";
import { paymentDueFor } from "./payment-due";

useTestDatabase();
const stripeFake = useStripeFake(webhook);
const fake = () => stripeFake.get();

async function subscribe(user: TestUser) {
  const res = await subscribeRoute(
    new Request("http://app.test/api/microagents/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json", ...user.headers },
      body: JSON.stringify({ workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly }),
    }),
    undefined,
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { id: body.micro_agent_id, sessionId: body.checkout_url.split("/").pop()! };
}
async function row(id: string) {
  const [r] = await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id));
  return r!;
}

describe("payments that do not go through", () => {
  for (const outcome of ["fail", "requires_action"] as const) {
    it(`a first payment that ${outcome === "fail" ? "fails" : "needs authentication"} leaves the agent pending, unlocking nothing, with Stripe's invoice to pay; paying it activates`, async () => {
      const user = await createTestUser();
      const { id, sessionId } = await subscribe(user);
      const { subscription, invoice } = fake().completeCheckout(sessionId, { payment: outcome });
      await fake().settled();
      expect(subscription.status).toBe("incomplete");
      const agent = await row(id);
      expect(agent).toMatchObject({ status: "pending", stripeSubscriptionId: subscription.id });
      expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(false);
      expect(await paymentDueFor(agent)).toEqual({
        invoiceUrl: invoice.hosted_invoice_url,
        amountDue: 900,
        currency: "usd",
      });

      // The hosted invoice page takes the payment; the webhook brings the agent along.
      const paid = await fetch(`${invoice.hosted_invoice_url}/pay`, { method: "POST", redirect: "manual" });
      expect(paid.status).toBe(303);
      await fake().settled();
      expect((await row(id)).status).toBe("active");
      expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(true);
      expect(await paymentDueFor(await row(id))).toBeNull();
    });
  }

  it("an unpaid first invoice expires after 23 hours: the agent is canceled and nothing is owed", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribe(user);
    const { subscription } = fake().completeCheckout(sessionId, { payment: "fail" });
    fake().advanceClock(23 * 3600 + 1);
    await fake().settled();
    expect(fake().subscription(subscription.id)!.status).toBe("incomplete_expired");
    const agent = await row(id);
    expect(agent.status).toBe("canceled");
    expect(await paymentDueFor(agent)).toBeNull();
    expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(false);
  });

  it("a plan change whose invoice fails leaves the agent past due, unlocking nothing, with the invoice to pay", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribe(user);
    const { subscription } = fake().completeCheckout(sessionId);
    await fake().settled();
    expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(true);

    fake().setPaymentOutcome(subscription.customer, "fail");
    const res = await planRoute(
      new Request(`http://app.test/api/microagents/${id}/plan`, {
        method: "POST",
        headers: { "content-type": "application/json", ...user.headers },
        body: JSON.stringify({ price_id: SEED_PRICES.yearly }),
      }),
      { params: Promise.resolve({ id }) },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "past_due" });
    await fake().settled();
    const agent = await row(id);
    expect(agent.status).toBe("past_due");
    expect(await canUseWorkflow(user.id, "wf_inbox_triage")).toBe(false);
    const due = await paymentDueFor(agent);
    expect(due?.invoiceUrl).toBe(
      fake().invoice(fake().subscription(subscription.id)!.latest_invoice!)!.hosted_invoice_url,
    );
    expect(due?.amountDue).toBe(9000);

    fake().payInvoice(fake().subscription(subscription.id)!.latest_invoice!);
    await fake().settled();
    expect(await row(id)).toMatchObject({ status: "active", stripePriceId: SEED_PRICES.yearly });
  });
});
