/** The success page settles a checkout with Stripe directly when no webhook arrives. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as subscribeRoute } from "@/app/api/microagents/subscribe/route";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { SEED_PRICES } from "@/e2e/fakes/stripe/server";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { settleCheckoutReturn } from "./checkout-return";

useTestDatabase();
const stripe = useStripeFake(webhook, { autoDeliver: false }); // no webhook ever arrives

async function subscribe(user: TestUser): Promise<{ id: string; sessionId: string }> {
  const res = await subscribeRoute(
    new Request("http://app.test/api/microagents/subscribe", {
      method: "POST",
      headers: { "content-type": "application/json", ...user.headers },
      body: JSON.stringify({ agent_name: "Agent", workflow_id: "wf_inbox_triage", price_id: SEED_PRICES.monthly }),
    }),
    undefined,
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { micro_agent_id: string; checkout_url: string };
  return { id: body.micro_agent_id, sessionId: body.checkout_url.split("/").pop()! };
}
const status = async (id: string) =>
  (await (await getDb()).select().from(microAgents).where(eq(microAgents.id, id)))[0]?.status;

describe("settleCheckoutReturn", () => {
  it("a paid checkout whose webhook never came is applied from Stripe's own answer", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribe(user);
    stripe.get().completeCheckout(sessionId);
    expect(await status(id)).toBe("pending"); // the webhook was not delivered
    const settled = await settleCheckoutReturn(user.id, sessionId);
    expect(settled?.status).toBe("active");
    expect(settled?.stripeSubscriptionId).toMatch(/^sub_/);
    expect(await status(id)).toBe("active");
  });

  it("an unpaid checkout stays pending, and another user's checkout is not found or touched", async () => {
    const user = await createTestUser();
    const { id, sessionId } = await subscribe(user);
    expect((await settleCheckoutReturn(user.id, sessionId))?.status).toBe("pending");
    const stranger = await createTestUser();
    stripe.get().completeCheckout(sessionId);
    expect(await settleCheckoutReturn(stranger.id, sessionId)).toBeNull();
    expect(await status(id)).toBe("pending");
    for (const hostile of ["", "cs_", "../cs_x", "cs_" + "a".repeat(300), "cs_doesnotexist"]) {
      expect(await settleCheckoutReturn(user.id, hostile)).toBeNull();
    }
  });
});
