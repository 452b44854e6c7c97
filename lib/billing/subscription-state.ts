/** What a Stripe subscription object means for its micro-agent row. */
import "server-only";
import type Stripe from "stripe";
import type { MicroAgent } from "@/db/schema";
import { microAgentStatusFor } from "./status";

export type MicroAgentBillingState = Pick<
  MicroAgent,
  "status" | "stripeSubscriptionId" | "stripePriceId" | "currentPeriodEnd" | "cancelAtPeriodEnd"
>;

/** Since API 2025-03-31 the period lives on each item; with several, the latest end wins. */
export function periodEnd(subscription: Stripe.Subscription): Date | null {
  const ends = subscription.items.data.map((item) => item.current_period_end).filter((v) => typeof v === "number");
  return ends.length ? new Date(Math.max(...ends) * 1000) : null;
}

/**
 * The row's billing fields after applying `subscription`. The price follows the subscription's
 * (first) item, so a plan change made at Stripe — from our dashboard, the API or Stripe's own
 * billing portal — shows on the row and decides what the subscription unlocks. `canceled` is terminal for a row:
 * the user's own cancel (or an expired first payment) is never undone by a later event; a new
 * subscription gets a new micro-agent.
 */
export function stateFromSubscription(agent: MicroAgent, subscription: Stripe.Subscription): MicroAgentBillingState {
  const mapped = microAgentStatusFor(subscription.status) ?? agent.status;
  const status = agent.status === "canceled" ? "canceled" : mapped;
  const ending = status !== "canceled" && (subscription.cancel_at_period_end || subscription.cancel_at !== null);
  return {
    status,
    stripeSubscriptionId: subscription.id,
    stripePriceId: subscription.items.data[0]?.price.id ?? agent.stripePriceId,
    currentPeriodEnd: periodEnd(subscription) ?? agent.currentPeriodEnd,
    cancelAtPeriodEnd: ending,
  };
}
