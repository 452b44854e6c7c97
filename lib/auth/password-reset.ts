/**
 * Password reset: a random 256-bit token, stored only as its SHA-256, valid for one hour and
 * once. The token row and the email that carries it are written in one transaction.
 * A reset bumps the user's token version, so every older access token and session stops working.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { passwordResetTokens, users } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue";
import { badRequest } from "@/lib/http";
import { hashPassword } from "./password";

export const RESET_TOKEN_TTL_SECONDS = 60 * 60;

export function hashResetToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function resetEmail(link: string): { subject: string; body: string } {
  return {
    subject: "Reset your password",
    body: [
      "Someone (hopefully you) asked to reset the password of your account.",
      "",
      `Choose a new password here: ${link}`,
      "",
      "The link works once and expires in 1 hour. If you did not ask for this, ignore this email;",
      "your password stays unchanged.",
    ].join("\n"),
  };
}

/** Queues a reset email for a known address; does nothing (and says nothing) for unknown ones. */
export async function requestPasswordReset(email: string, baseUrl: string): Promise<void> {
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (!user) return;
  const token = randomBytes(32).toString("base64url");
  const link = `${baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
  await db.transaction(async (tx) => {
    await tx.insert(passwordResetTokens).values({
      userId: user.id,
      tokenHash: hashResetToken(token),
      expiresAt: new Date(Date.now() + RESET_TOKEN_TTL_SECONDS * 1000),
    });
    await enqueueEmail(tx, {
      to: user.email,
      ...resetEmail(link),
      metadata: { kind: "password_reset", user_id: user.id },
    });
  });
}

/** Sets a new password with a reset token; throws the contract's 400s for bad tokens. */
export async function resetPassword(token: string, password: string): Promise<void> {
  // Hash first (and always): the transaction stays short and timing says nothing about the token.
  const hashedPassword = await hashPassword(password);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.tokenHash, hashResetToken(token)))
      .limit(1)
      .for("update");
    if (!row) throw badRequest("Invalid or expired token", "invalid_token");
    if (row.usedAt) throw badRequest("Token already used", "token_used");
    if (row.expiresAt.getTime() <= Date.now()) throw badRequest("Token expired", "token_expired");
    const now = new Date();
    await tx
      .update(users)
      // Following the emailed link also proves the address.
      .set({
        hashedPassword,
        tokenVersion: sql`${users.tokenVersion} + 1`,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        updatedAt: now,
      })
      .where(eq(users.id, row.userId));
    // This token and any other outstanding link for the account are spent.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
  });
}
