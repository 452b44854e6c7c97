/**
 * Applying a verified Stripe event to the micro-agents — correct under duplicates, any arrival
 * order, and concurrent deliveries:
 *
 * 1. Every handled event names a subscription (checkout session → `subscription`, subscription
 *    events → their own id, invoices → `parent.subscription_details.subscription`).
 * 2. One transaction per event takes a per-subscription advisory lock, so deliveries for the
 *    same subscription run one at a time.
 * 3. The event id goes into the `stripe_events` ledger in that transaction; a redelivered id
 *    conflicts and is skipped, and since the ledger row commits only with the state change, an
 *    event whose apply failed is applied on its redelivery.
 * 4. The subscription is re-read from Stripe *inside* the lock and its current state is written.
 *    The event body is only a pointer: whichever delivery commits last read Stripe last, so the
 *    row ends at Stripe's latest state whatever order the events came in.
 *
 * Any failure (Stripe unreachable, database error) rolls everything back and surfaces as a 5xx,
 * so Stripe redelivers.
 */
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { microAgents, stripeEvents, type MicroAgent } from "@/db/schema";
import { stateFromSubscription } from "./subscription-state";
import { getStripe, isMissingResource, toStripeGatewayError } from "./stripe-client";

export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export type ApplyOutcome = "ignored" | "duplicate" | "unmatched" | "applied";

const idSchema = z.union([z.string().min(1), z.object({ id: z.string().min(1) }).transform((o) => o.id)]);
const metadataSchema = z.record(z.string(), z.string()).nullish();

const sessionRefSchema = z.object({
  mode: z.string().optional(),
  subscription: idSchema.nullish(),
  metadata: metadataSchema,
});
const subscriptionRefSchema = z.object({ id: z.string().min(1), metadata: metadataSchema });
const invoiceRefSchema = z.object({
  parent: z
    .object({ subscription_details: z.object({ subscription: idSchema, metadata: metadataSchema }).nullish() })
    .nullish(),
});

type Ref = { subscriptionId: string; microAgentId?: string };

/** Which subscription (and, from metadata, which micro-agent) the event is about. */
export function subscriptionRefOf(event: Stripe.Event): Ref | null {
  const object: unknown = event.data.object;
  if (event.type === "checkout.session.completed") {
    const s = sessionRefSchema.safeParse(object);
    if (!s.success || !s.data.subscription) return null; // not a subscription checkout
    return { subscriptionId: s.data.subscription, microAgentId: s.data.metadata?.micro_agent_id };
  }
  if (event.type.startsWith("customer.subscription.")) {
    const s = subscriptionRefSchema.safeParse(object);
    return s.success ? { subscriptionId: s.data.id, microAgentId: s.data.metadata?.micro_agent_id } : null;
  }
  if (event.type.startsWith("invoice.")) {
    const s = invoiceRefSchema.safeParse(object);
    const details = s.success ? s.data.parent?.subscription_details : undefined;
    return details ? { subscriptionId: details.subscription, microAgentId: details.metadata?.micro_agent_id } : null;
  }
  return null;
}

const uuidSchema = z.uuid();

async function lockAgent(tx: Tx, subscriptionId: string, microAgentId: string | undefined): Promise<MicroAgent | null> {
  const [linked] = await tx
    .select()
    .from(microAgents)
    .where(eq(microAgents.stripeSubscriptionId, subscriptionId))
    .for("update");
  if (linked) return linked;
  if (!microAgentId || !uuidSchema.safeParse(microAgentId).success) return null;
  const [named] = await tx.select().from(microAgents).where(eq(microAgents.id, microAgentId)).for("update");
  // An agent already tied to another subscription is not this one's.
  return named && !named.stripeSubscriptionId ? named : null;
}

async function readSubscription(stripe: Stripe, id: string): Promise<Stripe.Subscription | null> {
  try {
    return await stripe.subscriptions.retrieve(id);
  } catch (err) {
    if (isMissingResource(err)) return null;
    throw toStripeGatewayError("subscription retrieve (webhook)", err);
  }
}

/** Writes Stripe's current state of the subscription to its micro-agent; the caller holds the lock. */
async function writeCurrentState(
  tx: Tx,
  stripe: Stripe,
  subscriptionId: string,
  microAgentId: string | undefined,
  eventAt: Date | null,
): Promise<MicroAgent | null> {
  const subscription = await readSubscription(stripe, subscriptionId);
  if (!subscription) {
    console.warn("[billing] Stripe does not know subscription", subscriptionId);
    return null;
  }
  const agent = await lockAgent(tx, subscription.id, subscription.metadata.micro_agent_id ?? microAgentId);
  const owner = subscription.metadata.user_id;
  if (!agent || (owner !== undefined && owner !== agent.userId)) return null;
  const lastEventAt = eventAt && !(agent.lastEventAt && agent.lastEventAt > eventAt) ? eventAt : agent.lastEventAt;
  const [row] = await tx
    .update(microAgents)
    .set({ ...stateFromSubscription(agent, subscription), lastEventAt, updatedAt: new Date() })
    .where(eq(microAgents.id, agent.id))
    .returning();
  return row ?? null;
}

const lockSubscription = (tx: Tx, subscriptionId: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`stripe-subscription:${subscriptionId}`}, 0))`);

export async function applyStripeEvent(event: Stripe.Event): Promise<ApplyOutcome> {
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) return "ignored";
  const ref = subscriptionRefOf(event);
  if (!ref) return "ignored";
  const stripe = getStripe();
  const db = await getDb();

  return db.transaction(async (tx) => {
    await lockSubscription(tx, ref.subscriptionId);
    const recorded = await tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        stripeCreatedAt: new Date(event.created * 1000),
        stripeSubscriptionId: ref.subscriptionId,
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (recorded.length === 0) return "duplicate";
    const row = await writeCurrentState(
      tx,
      stripe,
      ref.subscriptionId,
      ref.microAgentId,
      new Date(event.created * 1000),
    );
    if (!row) console.warn("[billing] webhook event matched no micro-agent", event.id, ref.subscriptionId);
    return row ? "applied" : "unmatched";
  });
}

/**
 * The same reconciliation outside a webhook (after a change we asked Stripe for): under the
 * subscription's lock, Stripe's current state is read and written. Answers the updated row, or
 * null when no micro-agent is linked to the subscription.
 */
export async function reconcileSubscription(subscriptionId: string, microAgentId?: string): Promise<MicroAgent | null> {
  const stripe = getStripe();
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockSubscription(tx, subscriptionId);
    return writeCurrentState(tx, stripe, subscriptionId, microAgentId, null);
  });
}
