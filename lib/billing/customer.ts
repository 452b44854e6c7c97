/**
 * One Stripe customer per user, created on the first checkout and stored on the user row.
 * Concurrent first checkouts serialise on the user row lock, and the creation carries an
 * idempotency key per user, so even a crash between Stripe's answer and our commit yields
 * the same customer on the next try (Stripe keeps keys for 24 h).
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { callStripe, getStripe } from "./stripe-client";

export async function ensureStripeCustomer(userId: string): Promise<string> {
  const stripe = getStripe();
  const db = await getDb();
  const [existing] = await db
    .select({ customerId: users.stripeCustomerId })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (existing?.customerId) return existing.customerId;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ email: users.email, customerId: users.stripeCustomerId })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!row) throw unauthorized(); // the account vanished mid-request
    if (row.customerId) return row.customerId; // a concurrent checkout created it first
    const customer = await callStripe("customer create", () =>
      stripe.customers.create(
        { email: row.email, metadata: { user_id: userId } },
        { idempotencyKey: `customer-for-user-${userId}` },
      ),
    );
    await tx.update(users).set({ stripeCustomerId: customer.id, updatedAt: new Date() }).where(eq(users.id, userId));
    return customer.id;
  });
}
