/**
 * What a person can do about a payment that did not go through: the first invoice failed or
 * needs them to confirm it (3-D Secure), leaving the subscription `incomplete` (the agent
 * `pending`), or a renewal or plan change was not paid (`past_due`). Stripe keeps the unpaid
 * invoice open with a hosted page where it can be paid; paying it there makes the subscription
 * active again, and the webhook brings the agent with it. Until then the agent unlocks nothing.
 */
import "server-only";
import type { MicroAgent } from "@/db/schema";
import { getStripe, isStripeError } from "./stripe-client";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

const PAGE_TIMEOUT_MS = 3000;

export type PaymentDue = { invoiceUrl: string; amountDue: number; currency: string };

/** The open invoice to pay for this agent, or null (nothing owed, or Stripe unreachable: the page then shows the state alone). */
export async function paymentDueFor(
  agent: Pick<MicroAgent, "status" | "stripeSubscriptionId">,
): Promise<PaymentDue | null> {
  if ((agent.status !== "pending" && agent.status !== "past_due") || !agent.stripeSubscriptionId) return null;
  try {
    // A page render waits for this: a slow Stripe costs the link, not the page (no retry, 3 s).
    const subscription = await getStripe().subscriptions.retrieve(
      agent.stripeSubscriptionId,
      { expand: ["latest_invoice"] },
      { timeout: PAGE_TIMEOUT_MS, maxNetworkRetries: 0 },
    );
    const invoice = subscription.latest_invoice;
    if (!invoice || typeof invoice === "string" || invoice.status !== "open" || !invoice.hosted_invoice_url)
      return null;
    return { invoiceUrl: invoice.hosted_invoice_url, amountDue: invoice.amount_due, currency: invoice.currency };
  } catch (err) {
    if (!isStripeError(err)) throw err;
    log.warn({ subscription: agent.stripeSubscriptionId, err }, "could not read the open invoice");
    return null;
  }
}
