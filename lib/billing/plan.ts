/**
 * Switching an active micro-agent between the plans of its own catalogue entry (monthly ↔
 * yearly): Stripe's subscription update swaps the item's price with proration (a change of
 * interval restarts the period and is invoiced at once, as Stripe does). The row then follows
 * Stripe — read back under the subscription's lock right away, and again by the
 * `customer.subscription.updated` webhook — so the answer already shows the new plan.
 */
import "server-only";
import type { MicroAgent } from "@/db/schema";
import { conflict, validationError } from "@/lib/http";
import { unlockOf } from "./catalogue";
import { findOwnedMicroAgent } from "./micro-agents";
import { requireCataloguePrice } from "./price";
import { callStripe, getStripe, isMissingResource, toStripeGatewayError } from "./stripe-client";
import type { PlanChangeInput } from "./plan-input";
import { reconcileSubscription } from "./webhook-apply";

export async function changePlan(userId: string, id: string, input: PlanChangeInput): Promise<MicroAgent> {
  const agent = await findOwnedMicroAgent(userId, id);
  if (agent.status !== "active" || !agent.stripeSubscriptionId) {
    throw conflict("Only an active micro-agent can change plan.", "not_active");
  }
  if (agent.stripePriceId === input.price_id) return agent; // already on it: nothing to do

  const stripe = getStripe();
  const { unlock } = await requireCataloguePrice(stripe, input.price_id);
  const subscriptionId = agent.stripeSubscriptionId;
  let subscription;
  try {
    subscription = await stripe.subscriptions.retrieve(subscriptionId, { expand: ["items.data.price.product"] });
  } catch (err) {
    if (isMissingResource(err)) throw conflict("Only an active micro-agent can change plan.", "not_active");
    throw toStripeGatewayError("subscription retrieve", err);
  }
  const item = subscription.items.data[0];
  if (!item || subscription.status === "canceled" || subscription.status === "incomplete_expired") {
    throw conflict("Only an active micro-agent can change plan.", "not_active");
  }
  const current = unlockOf(item.price);
  if (current?.productId !== unlock.productId) {
    throw validationError([
      {
        path: "price_id",
        message: `is a plan of “${unlock.productName}”, not of this micro-agent${current ? ` (“${current.productName}”)` : ""}; subscribe to it instead`,
      },
    ]);
  }
  if (item.price.id !== input.price_id) {
    await callStripe("subscription update", () =>
      stripe.subscriptions.update(subscriptionId, {
        items: [{ id: item.id, price: input.price_id }],
        proration_behavior: "create_prorations",
      }),
    );
  }
  return (await reconcileSubscription(subscriptionId)) ?? agent;
}
