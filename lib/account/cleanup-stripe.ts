/**
 * Stripe side of deleting an account: no open checkout can still be paid, no subscription keeps
 * billing, and the customer is removed. Idempotent: whatever Stripe already ended or no longer
 * knows counts as done, so the job can run any number of times.
 */
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { getStripe, isMissingResource, isStripeError } from "@/lib/billing/stripe-client";

const stripeIdSchema = z.string().regex(/^[A-Za-z0-9_]{1,255}$/);

export const stripeCleanupPayloadSchema = z.object({
  customer_id: stripeIdSchema.nullable(),
  subscription_ids: z.array(stripeIdSchema),
  checkout_session_ids: z.array(stripeIdSchema),
});
export type StripeCleanupPayload = z.infer<typeof stripeCleanupPayloadSchema>;

const ENDED = new Set(["canceled", "incomplete_expired"]);

/** Ignores "no such object"; anything else (outage, auth) propagates and the job is retried. */
async function unlessMissing<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isMissingResource(err)) return null;
    throw err;
  }
}

/** The subscription a checkout produced, after making sure an open one can no longer be paid. */
async function settleCheckout(stripe: Stripe, sessionId: string): Promise<string | null> {
  let session = await unlessMissing(() => stripe.checkout.sessions.retrieve(sessionId));
  if (!session) return null;
  if (session.status === "open") {
    try {
      session = await stripe.checkout.sessions.expire(sessionId);
    } catch (err) {
      if (isMissingResource(err)) return null;
      if (!isStripeError(err) || err.statusCode !== 400) throw err;
      // Completed between our read and the expiry: read it again for its subscription.
      session = await stripe.checkout.sessions.retrieve(sessionId);
    }
  }
  const sub = session.subscription;
  return typeof sub === "string" ? sub : (sub?.id ?? null);
}

async function cancelSubscription(stripe: Stripe, id: string): Promise<void> {
  const current = await unlessMissing(() => stripe.subscriptions.retrieve(id));
  if (!current || ENDED.has(current.status)) return;
  try {
    await stripe.subscriptions.cancel(id);
  } catch (err) {
    if (isMissingResource(err)) return;
    if (!isStripeError(err) || err.statusCode !== 400) throw err;
    // Ended meanwhile (the customer cancelled in the portal): confirm that is why.
    const again = await stripe.subscriptions.retrieve(id);
    if (!ENDED.has(again.status)) throw err;
  }
}

export async function runStripeCleanup(payload: StripeCleanupPayload): Promise<void> {
  const stripe = getStripe();
  const subscriptions = new Set(payload.subscription_ids);
  for (const sessionId of payload.checkout_session_ids) {
    const sub = await settleCheckout(stripe, sessionId);
    if (sub) subscriptions.add(sub);
  }
  if (payload.customer_id) {
    // Whatever Stripe holds for the customer, including anything our rows never recorded.
    const listed = await unlessMissing(() =>
      stripe.subscriptions.list({ customer: payload.customer_id!, status: "all", limit: 100 }).autoPagingToArray({
        limit: 10_000,
      }),
    );
    for (const sub of listed ?? []) if (!ENDED.has(sub.status)) subscriptions.add(sub.id);
  }
  for (const id of subscriptions) await cancelSubscription(stripe, id);
  if (payload.customer_id) {
    const customerId = payload.customer_id;
    await unlessMissing(() => stripe.customers.del(customerId));
  }
}
