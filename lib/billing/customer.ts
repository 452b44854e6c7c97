/**
 * One Stripe customer per user, created on the first checkout (or portal visit) and stored on
 * the user row. Concurrent first checkouts serialise on the user row lock.
 *
 * Never a fixed idempotency key: Stripe saves a 500 under its key and replays it to every
 * retry for at least 24 h, so one transient failure on a per-user key would refuse that user's
 * every checkout for a day. Instead each attempt first asks Stripe whether this user already
 * has a customer (listing by email, read-after-write consistent, matched on
 * `metadata.user_id`) — the one an earlier attempt created before its answer or our commit was
 * lost — and adopts it; only if there is none does it create one, under a key of its own. A
 * transient failure costs the user one retry, never a day, and never a second customer.
 *
 * A customer deleted at Stripe (by hand in the dashboard, or by a clean-up) is replaced: the
 * checkout that finds it gone creates a new one in its place.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { callStripe, getStripe, isStripeError } from "./stripe-client";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

/** A live customer Stripe already holds for this user (oldest first), other than `except`. */
async function existingCustomer(
  stripe: Stripe,
  userId: string,
  email: string,
  except: string | null,
): Promise<string | null> {
  const listed = await callStripe("customer lookup", () =>
    stripe.customers.list({ email, limit: 100 }).autoPagingToArray({ limit: 1000 }),
  );
  const mine = listed
    .filter((c) => c.metadata.user_id === userId && c.id !== except)
    .sort((a, b) => a.created - b.created);
  return mine[0]?.id ?? null;
}

/** Creates the user's customer under the user-row lock unless the row already holds `replacing`'s successor. */
async function createCustomer(userId: string, replacing: string | null): Promise<string> {
  const stripe = getStripe();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ email: users.email, customerId: users.stripeCustomerId })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!row) throw unauthorized(); // the account vanished mid-request
    // A concurrent checkout created (or replaced) it first.
    if (row.customerId && row.customerId !== replacing) return row.customerId;
    const customerId =
      (await existingCustomer(stripe, userId, row.email, replacing)) ??
      (
        await callStripe("customer create", () =>
          stripe.customers.create(
            { email: row.email, metadata: { user_id: userId } },
            { idempotencyKey: `customer-for-user-${userId}-${randomUUID()}` },
          ),
        )
      ).id;
    await tx.update(users).set({ stripeCustomerId: customerId, updatedAt: new Date() }).where(eq(users.id, userId));
    return customerId;
  });
}

export async function ensureStripeCustomer(userId: string): Promise<string> {
  const db = await getDb();
  const [existing] = await db
    .select({ customerId: users.stripeCustomerId })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return existing?.customerId ?? createCustomer(userId, null);
}

/** The user's stored customer is gone at Stripe: a new one takes its place (once, however many ask). */
export function replaceStripeCustomer(userId: string, goneCustomerId: string): Promise<string> {
  log.warn({ user_id: userId, customer_id: goneCustomerId }, "Stripe no longer knows the customer; creating a new one");
  return createCustomer(userId, goneCustomerId);
}

/** Stripe refused a request because the customer it names does not exist (deleted). */
export function isMissingCustomer(err: unknown): boolean {
  return isStripeError(err) && err.code === "resource_missing" && err.param === "customer";
}
