/**
 * Applying a verified Stripe event to the micro-agents — correct under duplicates, any arrival
 * order, concurrent deliveries, and the endpoint's API version:
 *
 * 0. Events come in the webhook endpoint's API version, not the SDK's. Any version up to the
 *    pinned one is understood (invoices name their subscription in `parent.subscription_details`
 *    from 2025-03-31.basil on, at the top level before); a handled event of a later version is
 *    refused with 400 naming it, so Stripe shows the failed delivery instead of a silent 200.
 * 1. Every handled event names a subscription (checkout session → `subscription`, subscription
 *    events → their own id, invoices → `parent.subscription_details.subscription`, or the
 *    top-level `subscription` before basil). An expired checkout has none: it is settled by its
 *    session instead (checkout-expiry.ts).
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
import "server-only";
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { microAgents, stripeEvents, type MicroAgent } from "@/db/schema";
import { badRequest } from "@/lib/http";
import { isKnownApiVersion, STRIPE_API_VERSION } from "./api-version";
import { settleExpiredCheckout } from "./checkout-expiry";
import { stateFromSubscription } from "./subscription-state";
import { getStripe, isMissingResource, toStripeGatewayError } from "./stripe-client";
import { HANDLED_EVENT_TYPES } from "./webhook-events";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

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
  // 2025-03-31.basil and later
  parent: z
    .object({ subscription_details: z.object({ subscription: idSchema, metadata: metadataSchema }).nullish() })
    .nullish(),
  // before basil
  subscription: idSchema.nullish(),
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
    if (!s.success) return null;
    const details = s.data.parent?.subscription_details;
    if (details) return { subscriptionId: details.subscription, microAgentId: details.metadata?.micro_agent_id };
    return s.data.subscription ? { subscriptionId: s.data.subscription } : null; // else not a subscription's invoice
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
    log.warn({ subscription_id: subscriptionId }, "Stripe does not know the subscription");
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

const recordEvent = (tx: Tx, event: Stripe.Event, subscriptionId: string | null) =>
  tx
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      stripeCreatedAt: new Date(event.created * 1000),
      stripeSubscriptionId: subscriptionId,
    })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });

const expiredSessionSchema = z.object({ id: z.string().min(1) });

/** An expired checkout: its pending micro-agent ends (Stripe's current state of the session decides). */
async function applyExpiredCheckout(event: Stripe.Event): Promise<ApplyOutcome> {
  const parsed = expiredSessionSchema.safeParse(event.data.object);
  if (!parsed.success) return "ignored";
  const stripe = getStripe();
  const db = await getDb();
  return db.transaction(async (tx) => {
    if ((await recordEvent(tx, event, null)).length === 0) return "duplicate";
    const row = await settleExpiredCheckout(tx, stripe, parsed.data.id);
    return row ? "applied" : "unmatched";
  });
}

export async function applyStripeEvent(event: Stripe.Event): Promise<ApplyOutcome> {
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type)) return "ignored";
  const version = (event as { api_version?: string | null }).api_version;
  if (version && !isKnownApiVersion(version)) {
    throw badRequest(
      `Stripe event ${event.id} is in API version ${version}, which this app does not read (it reads versions up to ${STRIPE_API_VERSION}); set the webhook endpoint's API version to ${STRIPE_API_VERSION} (npm run stripe:webhook-endpoint)`,
      "unsupported_api_version",
    );
  }
  if (event.type === "checkout.session.expired") return applyExpiredCheckout(event);
  const ref = subscriptionRefOf(event);
  if (!ref) return "ignored";
  const stripe = getStripe();
  const db = await getDb();

  return db.transaction(async (tx) => {
    await lockSubscription(tx, ref.subscriptionId);
    if ((await recordEvent(tx, event, ref.subscriptionId)).length === 0) return "duplicate";
    const row = await writeCurrentState(
      tx,
      stripe,
      ref.subscriptionId,
      ref.microAgentId,
      new Date(event.created * 1000),
    );
    if (!row)
      log.warn({ event_id: event.id, subscription_id: ref.subscriptionId }, "webhook event matched no micro-agent");
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
