/**
 * Checkouts nobody finishes. Stripe expires an unpaid Checkout session (24 h after creation by
 * default) and sends `checkout.session.expired`; its `pending` micro-agent then ends as
 * `canceled` — it never unlocked anything, and the person can subscribe again from the
 * catalogue. Where that webhook was lost, the sweep (a job kind the cron and the worker run)
 * asks Stripe about pending rows older than a session can live, and settles each the same way:
 * expired → canceled; completed → the subscription is reconciled as the webhook would have.
 */
import "server-only";
import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import type Stripe from "stripe";
import type { Database, Tx } from "@/db/client";
import { microAgents, type MicroAgent } from "@/db/schema";
import { getEnv } from "@/lib/env";
import type { JobKind, JobRunResult } from "@/lib/jobs/registry";
import { getStripe, isMissingResource, toStripeGatewayError } from "./stripe-client";
import { reconcileSubscription } from "./webhook-apply";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

/** Stripe's longest Checkout session life: a pending row older than this has a session that ended. */
export const CHECKOUT_LIFETIME_SECONDS = 24 * 3600;

async function retrieveSession(stripe: Stripe, sessionId: string): Promise<Stripe.Checkout.Session | null> {
  try {
    return await stripe.checkout.sessions.retrieve(sessionId);
  } catch (err) {
    if (isMissingResource(err)) return null;
    throw toStripeGatewayError("checkout session retrieve", err);
  }
}

/** Ends the pending micro-agent of an expired session (the row is locked here); null when none applies. */
async function endExpired(tx: Tx, session: Stripe.Checkout.Session): Promise<MicroAgent | null> {
  if (session.status !== "expired" || session.subscription) return null;
  const [agent] = await tx
    .select()
    .from(microAgents)
    .where(eq(microAgents.stripeCheckoutSessionId, session.id))
    .for("update");
  if (!agent || agent.status !== "pending" || agent.stripeSubscriptionId) return null;
  const named = session.metadata?.micro_agent_id;
  if (named && named !== agent.id) return null;
  const [row] = await tx
    .update(microAgents)
    .set({ status: "canceled", cancelAtPeriodEnd: false, updatedAt: new Date() })
    .where(eq(microAgents.id, agent.id))
    .returning();
  return row ?? null;
}

/** The webhook's half: Stripe's current state of the session decides, not the event body. */
export async function settleExpiredCheckout(tx: Tx, stripe: Stripe, sessionId: string): Promise<MicroAgent | null> {
  const session = await retrieveSession(stripe, sessionId);
  return session ? endExpired(tx, session) : null;
}

/** A pending row whose session Stripe no longer has (404) can never complete: it ends too. */
async function endLost(db: Database, agentId: string): Promise<void> {
  await db
    .update(microAgents)
    .set({ status: "canceled", cancelAtPeriodEnd: false, updatedAt: new Date() })
    .where(
      and(eq(microAgents.id, agentId), eq(microAgents.status, "pending"), isNull(microAgents.stripeSubscriptionId)),
    );
}

/**
 * One sweep: each pending row whose checkout is older than a session can live has its session
 * read from Stripe (no lock is held meanwhile) and is settled under the same conditional writes
 * the webhook uses: expired → canceled, gone (404) → canceled, completed → reconciled. A Stripe
 * failure leaves the row for the next sweep; every row is visited once per sweep.
 */
export async function sweepAbandonedCheckouts(
  db: Database,
  options: { now?: () => Date; deadline?: number } = {},
): Promise<JobRunResult> {
  const result: JobRunResult = { done: 0, retried: 0, failed: 0 };
  if (!getEnv().stripe.secretKey) return result; // subscriptions are not configured here
  const stripe = getStripe();
  const cutoff = new Date((options.now?.() ?? new Date()).getTime() - CHECKOUT_LIFETIME_SECONDS * 1000);
  const due = await db
    .select({ id: microAgents.id, sessionId: microAgents.stripeCheckoutSessionId })
    .from(microAgents)
    .where(
      and(
        eq(microAgents.status, "pending"),
        isNotNull(microAgents.stripeCheckoutSessionId),
        isNull(microAgents.stripeSubscriptionId),
        lte(microAgents.createdAt, cutoff),
      ),
    );
  for (const agent of due) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) break;
    try {
      const session = await retrieveSession(stripe, agent.sessionId!);
      const subscription = session?.subscription;
      if (!session) await endLost(db, agent.id);
      // A completed checkout whose webhook was lost: applied with the webhook's own code, under its lock.
      else if (session.status === "complete" && subscription)
        await reconcileSubscription(typeof subscription === "string" ? subscription : subscription.id, agent.id);
      else await db.transaction((tx) => endExpired(tx, session));
      result.done++;
    } catch (err) {
      log.warn({ agent_id: agent.id, err }, "checkout sweep: this row is left for the next sweep");
      result.retried++;
    }
  }
  return result;
}

export const checkoutSweepJobKind: JobKind = {
  name: "stripe-checkout-sweep",
  // It asks Stripe about every stale pending row: the cron and the worker run it, not each request.
  scheduledOnly: true,
  runDue: (db, deadline) => sweepAbandonedCheckouts(db, { deadline }),
};
