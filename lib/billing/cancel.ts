/**
 * Cancelling a micro-agent stops billing at Stripe immediately (as the seed did), then marks
 * the row `canceled`. Idempotent: a canceled agent is answered as is, and a subscription
 * Stripe already canceled counts as done. A pending agent may have a checkout that completed
 * while its webhook is still on the way, so its session is read back first: a subscription
 * found there is canceled too, an open session is expired so it can no longer be paid.
 */
import "server-only";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { microAgents, type MicroAgent } from "@/db/schema";
import { findOwnedMicroAgent } from "./micro-agents";
import { callStripe, getStripe, isMissingResource, isStripeError, toStripeGatewayError } from "./stripe-client";

const ENDED = new Set(["canceled", "incomplete_expired"]);

async function cancelAtStripe(stripe: Stripe, subscriptionId: string): Promise<void> {
  try {
    await stripe.subscriptions.cancel(subscriptionId);
  } catch (err) {
    if (isMissingResource(err)) return; // nothing left to bill
    if (!isStripeError(err) || err.statusCode !== 400) throw toStripeGatewayError("subscription cancel", err);
    // Stripe refuses to cancel what is already canceled; confirm that is why.
    const current = await callStripe("subscription retrieve", () => stripe.subscriptions.retrieve(subscriptionId));
    if (!ENDED.has(current.status)) throw toStripeGatewayError("subscription cancel", err);
  }
}

/** The subscription a pending agent's checkout produced, or null after expiring an open session. */
async function subscriptionFromCheckout(stripe: Stripe, sessionId: string): Promise<string | null> {
  const session = await callStripe("checkout session retrieve", () => stripe.checkout.sessions.retrieve(sessionId));
  if (session.subscription)
    return typeof session.subscription === "string" ? session.subscription : session.subscription.id;
  if (session.status === "open") {
    await callStripe("checkout session expire", () => stripe.checkout.sessions.expire(sessionId));
  }
  return null;
}

export async function cancelMicroAgent(userId: string, id: string): Promise<MicroAgent> {
  const agent = await findOwnedMicroAgent(userId, id);
  if (agent.status === "canceled") return agent;

  let subscriptionId = agent.stripeSubscriptionId;
  if (subscriptionId || agent.stripeCheckoutSessionId) {
    const stripe = getStripe();
    if (!subscriptionId && agent.stripeCheckoutSessionId) {
      subscriptionId = await subscriptionFromCheckout(stripe, agent.stripeCheckoutSessionId);
    }
    if (subscriptionId) await cancelAtStripe(stripe, subscriptionId);
  }

  const db = await getDb();
  const [row] = await db
    .update(microAgents)
    .set({ status: "canceled", cancelAtPeriodEnd: false, stripeSubscriptionId: subscriptionId, updatedAt: new Date() })
    .where(eq(microAgents.id, agent.id))
    .returning();
  return row ?? agent;
}
