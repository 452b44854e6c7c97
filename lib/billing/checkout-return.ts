/**
 * The customer's return from Checkout (the success page). Normally the webhook has recorded the
 * payment by then; where it cannot arrive (a protected preview, a webhook not set up yet) or is
 * late, the page asks Stripe about the checkout session itself and applies the subscription with
 * the webhook's own code (reconcileSubscription, under the same lock), so it never waits forever.
 */
import "server-only";
import type { MicroAgent } from "@/db/schema";
import { findByCheckoutSession } from "./micro-agents";
import { getStripe } from "./stripe-client";
import { reconcileSubscription } from "./webhook-apply";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

/** The caller's micro-agent of this checkout, brought up to date with Stripe when it is still pending. */
export async function settleCheckoutReturn(userId: string, sessionId: string): Promise<MicroAgent | null> {
  const agent = await findByCheckoutSession(userId, sessionId);
  if (!agent || agent.status !== "pending") return agent;
  try {
    const session = await getStripe().checkout.sessions.retrieve(sessionId);
    const subscriptionId = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
    // Only a completed checkout of this very agent may change it.
    if (session.status !== "complete" || !subscriptionId || session.metadata?.micro_agent_id !== agent.id) return agent;
    return (await reconcileSubscription(subscriptionId, agent.id)) ?? agent;
  } catch (err) {
    // Stripe unreachable: the page shows the recorded state and looks again shortly.
    log.warn({ err }, "checkout return: could not ask Stripe");
    return agent;
  }
}
