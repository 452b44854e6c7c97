/**
 * One Stripe customer per user, created on the first checkout and stored on the user row.
 * Concurrent first checkouts serialise on the user row lock, and the creation carries an
 * idempotency key per user, so even a crash between Stripe's answer and our commit yields
 * the same customer on the next try (Stripe keeps keys for 24 h).
 *
 * A customer deleted at Stripe (by hand in the dashboard, or by a clean-up) is replaced: the
 * checkout that finds it gone creates a new one in its place, keyed on the one it replaces.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { callStripe, getStripe, isStripeError } from "./stripe-client";

/** Creates the user's customer under the user-row lock unless the row already holds `unless`'s successor. */
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
    const idempotencyKey = replacing
      ? `customer-for-user-${userId}-replacing-${replacing}`
      : `customer-for-user-${userId}`;
    const customer = await callStripe("customer create", () =>
      stripe.customers.create({ email: row.email, metadata: { user_id: userId } }, { idempotencyKey }),
    );
    await tx.update(users).set({ stripeCustomerId: customer.id, updatedAt: new Date() }).where(eq(users.id, userId));
    return customer.id;
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
  console.warn("[billing] Stripe no longer knows customer; creating a new one", { userId, goneCustomerId });
  return createCustomer(userId, goneCustomerId);
}

/** Stripe refused a request because the customer it names does not exist (deleted). */
export function isMissingCustomer(err: unknown): boolean {
  return isStripeError(err) && err.code === "resource_missing" && err.param === "customer";
}
