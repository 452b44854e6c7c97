/**
 * Email verification: a random 256-bit token, stored only as its SHA-256, valid for two days and
 * once, sent through the email queue in the transaction that made it. Following the link marks
 * the address as proved (users.email_verified_at). Unverified accounts work normally; they are
 * never merged with a Google/Apple identity (see oauth-accounts.ts).
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { emailVerificationTokens, users } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue";
import { badRequest, conflict } from "@/lib/http";
import { consumeRateLimit } from "@/lib/rate-limit/consume";

export const VERIFICATION_TOKEN_TTL_SECONDS = 48 * 3600;
/** Resends per account: a few per hour, so the queue cannot be turned into a mail cannon. */
export const RESEND_LIMIT = { limit: 3, windowSeconds: 3600 };

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function verificationEmail(link: string): { subject: string; body: string } {
  return {
    subject: "Confirm your email address",
    body: [
      "Welcome to Facts Chat. Please confirm that this address is yours:",
      "",
      link,
      "",
      "The link works once and expires in 48 hours. If you did not create an account, ignore this",
      "email; nobody can link a Google or Apple sign-in to an address that was never confirmed.",
    ].join("\n"),
  };
}

/** Queues a verification email for the user's current address (inside the caller's transaction). */
export async function queueVerificationEmail(
  db: Queryable,
  user: { id: string; email: string },
  baseUrl: string,
): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(emailVerificationTokens).values({
    userId: user.id,
    email: user.email,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + VERIFICATION_TOKEN_TTL_SECONDS * 1000),
  });
  await enqueueEmail(db, {
    to: user.email,
    ...verificationEmail(`${baseUrl}/verify-email?token=${encodeURIComponent(token)}`),
    metadata: { kind: "email_verification", user_id: user.id },
  });
}

/** A new link for a signed-in, still unverified account (rate-limited per account). */
export async function resendVerification(userId: string, baseUrl: string): Promise<void> {
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw badRequest("Unknown account");
  if (user.verifiedAt) throw conflict("This email address is already verified", "already_verified");
  await consumeRateLimit(
    `auth:verify-resend:user:${user.id}`,
    RESEND_LIMIT,
    "Too many verification emails. Please wait before asking for another.",
  );
  await db.transaction((tx) => queueVerificationEmail(tx, user, baseUrl));
}

/**
 * Marks the address the token was sent to as verified. The token must be unused, unexpired, and
 * the account must still have that address; every other outstanding link of the account is spent.
 */
export async function verifyEmail(token: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailVerificationTokens)
      .where(eq(emailVerificationTokens.tokenHash, hashToken(token)))
      .limit(1)
      .for("update");
    if (!row) throw badRequest("Invalid or expired verification link", "invalid_token");
    if (row.usedAt) throw badRequest("This verification link was already used", "token_used");
    if (row.expiresAt.getTime() <= Date.now()) throw badRequest("This verification link has expired", "token_expired");
    const now = new Date();
    const updated = await tx
      .update(users)
      .set({
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email)))
      .returning({ id: users.id });
    if (updated.length === 0) throw badRequest("Invalid or expired verification link", "invalid_token");
    await tx
      .update(emailVerificationTokens)
      .set({ usedAt: now })
      .where(and(eq(emailVerificationTokens.userId, row.userId), isNull(emailVerificationTokens.usedAt)));
  });
}
