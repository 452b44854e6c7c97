/**
 * Checkouts nobody finishes. Stripe expires an unpaid Checkout session (24 h after creation by
 * default) and sends `checkout.session.expired`; its `pending` micro-agent then ends as
 * `canceled` — it never unlocked anything, and the person can subscribe again from the
 * catalogue. Where that webhook was lost, the sweep (a job kind, run by the cron and after
 * requests) asks Stripe about pending rows older than a session can live, and settles each the
 * same way: expired → canceled; completed → the subscription is reconciled as the webhook
 * would have.
 */
import { and, eq, isNotNull, isNull, lte, notInArray } from "drizzle-orm";
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

/**
 * One sweep: each pending row whose checkout is older than a session can live is locked (rows
 * another drain holds are skipped), its session read from Stripe, and settled. A Stripe failure
 * leaves the row for the next sweep.
 */
export async function sweepAbandonedCheckouts(
  db: Database,
  options: { now?: () => Date; deadline?: number } = {},
): Promise<JobRunResult> {
  const result: JobRunResult = { done: 0, retried: 0, failed: 0 };
  if (!getEnv().stripe.secretKey) return result; // subscriptions are not configured here
  const stripe = getStripe();
  const cutoff = new Date((options.now?.() ?? new Date()).getTime() - CHECKOUT_LIFETIME_SECONDS * 1000);
  const seen: string[] = [];
  while (options.deadline === undefined || Date.now() < options.deadline) {
    const outcome = await db.transaction(async (tx) => {
      const [agent] = await tx
        .select()
        .from(microAgents)
        .where(
          and(
            eq(microAgents.status, "pending"),
            isNotNull(microAgents.stripeCheckoutSessionId),
            isNull(microAgents.stripeSubscriptionId),
            lte(microAgents.createdAt, cutoff),
            seen.length ? notInArray(microAgents.id, seen) : undefined,
          ),
        )
        .limit(1)
        .for("update", { skipLocked: true });
      if (!agent) return null;
      seen.push(agent.id);
      try {
        const session = await retrieveSession(stripe, agent.stripeCheckoutSessionId!);
        const subscription = session?.subscription;
        if (session?.status === "complete" && subscription) {
          const id = typeof subscription === "string" ? subscription : subscription.id;
          return { kind: "reconcile" as const, subscriptionId: id, agentId: agent.id };
        }
        if (session) await endExpired(tx, session);
        return { kind: "done" as const };
      } catch (err) {
        log.warn({ agent_id: agent.id, err }, "checkout sweep: could not ask Stripe");
        return { kind: "retry" as const };
      }
    });
    if (!outcome) break;
    if (outcome.kind === "retry") {
      result.retried++;
      continue;
    }
    // A completed checkout whose webhook was lost: applied with the webhook's own code, under its lock.
    if (outcome.kind === "reconcile") await reconcileSubscription(outcome.subscriptionId, outcome.agentId);
    result.done++;
  }
  return result;
}

export const checkoutSweepJobKind: JobKind = {
  name: "stripe-checkout-sweep",
  runDue: (db, deadline) => sweepAbandonedCheckouts(db, { deadline }),
};
