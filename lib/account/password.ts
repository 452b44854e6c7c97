/**
 * Changing the password while signed in, and signing out everywhere. Both bump the user's token
 * version and revoke every recorded browser session in one transaction, so every session cookie
 * and bearer token issued before stops working at once; the route then re-issues this browser's
 * session (password change) or clears it (sign out everywhere).
 */
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { passwordResetTokens, users, type User } from "@/db/schema";
import { loginPasswordSchema, newPasswordSchema } from "@/lib/auth/credentials";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { revokeAllSessions } from "@/lib/auth/sessions";
import { enqueueEmail } from "@/lib/email/enqueue";
import { conflict, unauthorized } from "@/lib/http";
import { confirmationFailed } from "./delete";

export const changePasswordSchema = z
  .object({
    current_password: loginPasswordSchema.meta({ description: "The password the account has now." }),
    new_password: newPasswordSchema.meta({ description: "The new password: 8 to 256 characters, as at sign-up." }),
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export function passwordChangedEmail(): { subject: string; body: string } {
  return {
    subject: "Your password was changed",
    body: [
      "The password of your account was just changed, and every other browser and app signed in to it was signed out.",
      "",
      "If this was you, there is nothing to do.",
      "If it was not, reset your password now with 'Forgot password?' on the sign-in page, and review your account settings.",
    ].join("\n"),
  };
}

export async function changePassword(userId: string, input: ChangePasswordInput): Promise<User> {
  const db = await getDb();
  const [before] = await db
    .select({ hashedPassword: users.hashedPassword })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!before) throw unauthorized();
  if (!before.hashedPassword)
    throw conflict(
      "This account has no password yet. Set one through the link we email you (Forgot password?).",
      "no_password",
    );
  if (!(await verifyPassword(input.current_password, before.hashedPassword)))
    throw confirmationFailed("The current password is not correct.", "invalid_password");
  const hashedPassword = await hashPassword(input.new_password);

  return db.transaction(async (tx) => {
    const now = new Date();
    // Only over the password just checked: a concurrent change (or reset) wins, and this one is refused.
    const [user] = await tx
      .update(users)
      .set({ hashedPassword, tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: now })
      .where(and(eq(users.id, userId), eq(users.hashedPassword, before.hashedPassword!)))
      .returning();
    if (!user) throw conflict("The password was changed meanwhile. Reload and try again.", "password_changed");
    await revokeAllSessions(userId, tx);
    // Reset links sent before the change must not undo it.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    await enqueueEmail(tx, {
      to: user.email,
      ...passwordChangedEmail(),
      metadata: { kind: "password_changed", user_id: userId },
    });
    return user;
  });
}

/** Ends every session and token of the account, the caller's included. */
export async function signOutEverywhere(userId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (updated.length === 0) throw unauthorized();
    await revokeAllSessions(userId, tx);
  });
}
