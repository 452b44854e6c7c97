/**
 * Deleting an account. One transaction, holding the user row's lock:
 *
 * 1. reads what lives outside (Stripe customer, subscriptions and open checkouts; the OpenAI
 *    vector store and the files copied into it) and records it as clean-up jobs;
 * 2. deletes what has no foreign key to the user (its subscriptions' Stripe event history,
 *    queued and sent emails to the address or about the user, rate-limit counters naming it);
 * 3. deletes the user row; every per-user table goes with it by `on delete cascade`.
 *
 * From the commit on, no session, token or password finds the account, and the address is free
 * to sign up again (a new id, nothing carried over). Stripe and OpenAI are never called here:
 * the jobs run from the queue drain and are retried until done, so an outage there neither
 * blocks the deletion nor leaves it half-done.
 */
import "server-only";
import { and, eq, inArray, isNotNull, like, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { facts, microAgents, outboundEmails, rateLimits, stripeEvents, userVectorStore, users } from "@/db/schema";
import { emailSchema, loginPasswordSchema, normalizeEmail } from "@/lib/auth/credentials";
import { verifyPassword } from "@/lib/auth/password";
import { accountRateLimitPatterns } from "@/lib/auth/rate-limits";
import { AppError, badRequest, unauthorized, type ErrorCode } from "@/lib/http";
import { enqueueCleanupJob } from "./cleanup-jobs";

export const deleteAccountSchema = z
  .object({
    password: loginPasswordSchema.optional().meta({ description: "The current password (accounts that have one)." }),
    email: emailSchema
      .optional()
      .meta({ description: "The account's email address, typed again (accounts without a password)." }),
  })
  .strict()
  .refine((b) => (b.password === undefined) !== (b.email === undefined), {
    message: "Send exactly one of password or email",
  });
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;

export const confirmationFailed = (detail: string, code: ErrorCode) => new AppError(403, code, detail);

export type DeletionSummary = { stripeCleanup: boolean; openaiCleanup: boolean };

/** Checks the confirmation against the account: its password, or (without one) its address. */
async function confirm(user: { email: string; hashedPassword: string | null }, input: DeleteAccountInput) {
  if (user.hashedPassword) {
    if (input.password === undefined)
      throw badRequest("This account has a password: confirm with it.", "password_required");
    if (!(await verifyPassword(input.password, user.hashedPassword)))
      throw confirmationFailed("The password is not correct.", "invalid_password");
    return;
  }
  if (input.email === undefined)
    throw badRequest("This account has no password: confirm by typing its email address.", "email_required");
  if (normalizeEmail(input.email) !== user.email)
    throw confirmationFailed("That is not this account's email address.", "email_mismatch");
}

export async function deleteAccount(userId: string, input: DeleteAccountInput): Promise<DeletionSummary> {
  const db = await getDb();
  const [before] = await db
    .select({ email: users.email, hashedPassword: users.hashedPassword })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!before) throw unauthorized();
  // bcrypt outside the transaction: the row lock is held only for the writes.
  await confirm(before, input);

  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw unauthorized(); // deleted by a concurrent request
    if (user.hashedPassword !== before.hashedPassword) throw unauthorized(); // the password changed meanwhile

    const agents = await tx
      .select({
        subscriptionId: microAgents.stripeSubscriptionId,
        checkoutSessionId: microAgents.stripeCheckoutSessionId,
      })
      .from(microAgents)
      .where(eq(microAgents.userId, userId));
    const subscriptionIds = agents.flatMap((a) => (a.subscriptionId ? [a.subscriptionId] : []));
    const checkoutSessionIds = agents.flatMap((a) =>
      !a.subscriptionId && a.checkoutSessionId ? [a.checkoutSessionId] : [],
    );
    const stripeCleanup = user.stripeCustomerId !== null || subscriptionIds.length > 0 || checkoutSessionIds.length > 0;
    if (stripeCleanup) {
      await enqueueCleanupJob(tx, {
        kind: "stripe",
        userId,
        payload: {
          customer_id: user.stripeCustomerId,
          subscription_ids: [...new Set(subscriptionIds)],
          checkout_session_ids: [...new Set(checkoutSessionIds)],
        },
      });
    }

    const [store] = await tx
      .select({ id: userVectorStore.vectorStoreId })
      .from(userVectorStore)
      .where(eq(userVectorStore.userId, userId));
    const files = await tx
      .select({ id: facts.memoryFileId })
      .from(facts)
      .where(and(eq(facts.userId, userId), isNotNull(facts.memoryFileId)));
    const fileIds = [...new Set(files.flatMap((f) => (f.id ? [f.id] : [])))];
    const openaiCleanup = store !== undefined || fileIds.length > 0;
    if (openaiCleanup) {
      await enqueueCleanupJob(tx, {
        kind: "openai",
        userId,
        payload: { vector_store_id: store?.id ?? null, file_ids: fileIds },
      });
    }

    // Rows that name the account without a foreign key to it: its subscriptions' event history,
    if (subscriptionIds.length)
      await tx.delete(stripeEvents).where(inArray(stripeEvents.stripeSubscriptionId, [...new Set(subscriptionIds)]));
    // emails to it or about it, and rate-limit counters naming it.
    await tx
      .delete(outboundEmails)
      .where(or(eq(outboundEmails.toAddress, user.email), sql`${outboundEmails.metadata}->>'user_id' = ${userId}`));
    await tx
      .delete(rateLimits)
      .where(or(...accountRateLimitPatterns(user).map((pattern) => like(rateLimits.bucket, pattern))));

    const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (deleted.length !== 1) throw unauthorized();
    return { stripeCleanup, openaiCleanup };
  });
}
