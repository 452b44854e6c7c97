/**
 * Google/Apple identities → our users. A known provider account signs in as its user. A new
 * identity is linked to an existing account with the same email, or creates one, only when the
 * provider vouches for the email (email_verified): otherwise anyone could claim an address.
 *
 * Pre-hijacking: anyone can sign up with a password for an address they do not own. When a
 * provider-verified identity meets such an account whose address was never verified, the person
 * who controls the mailbox takes it over: the password is dropped, every session and token of the
 * account ends (token_version bump, recorded sessions revoked), outstanding reset and verification
 * links are spent, and only then is the identity linked and the address marked verified. The
 * squatter keeps no way in. (Refusing the link instead would let a squatter block the owner's
 * Google/Apple sign-in for good.)
 */
import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailVerificationTokens, oauthAccounts, passwordResetTokens, users, type User } from "@/db/schema";
import { normalizeEmail } from "./credentials";
import { revokeAllSessions } from "./sessions";

export type OAuthIdentity = {
  provider: "google" | "apple";
  providerAccountId: string;
  email?: string | null;
  /** Google sends a boolean, Apple a boolean or the string "true". */
  emailVerified?: unknown;
};

export type LinkResult = { ok: true; user: User } | { ok: false; reason: "email_unverified" | "email_missing" };

export function isEmailVerified(value: unknown): boolean {
  return value === true || value === "true";
}

async function userByAccount(provider: string, providerAccountId: string): Promise<User | null> {
  const db = await getDb();
  const [row] = await db
    .select({ user: users })
    .from(oauthAccounts)
    .innerJoin(users, eq(users.id, oauthAccounts.userId))
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerAccountId, providerAccountId)))
    .limit(1);
  return row?.user ?? null;
}

export async function findUserByOAuthAccount(provider: string, providerAccountId: string): Promise<User | null> {
  return userByAccount(provider, providerAccountId);
}

/** Resolves (linking or creating as needed) the user an OAuth sign-in belongs to. */
export async function linkOAuthIdentity(identity: OAuthIdentity): Promise<LinkResult> {
  const known = await userByAccount(identity.provider, identity.providerAccountId);
  if (known) return { ok: true, user: known };
  if (!identity.email) return { ok: false, reason: "email_missing" };
  if (!isEmailVerified(identity.emailVerified)) return { ok: false, reason: "email_unverified" };
  const email = normalizeEmail(identity.email);
  const db = await getDb();
  const user = await db.transaction(async (tx) => {
    // Either half may race with a concurrent first sign-in; both statements tolerate that.
    await tx.insert(users).values({ email, emailVerifiedAt: new Date() }).onConflictDoNothing({ target: users.email });
    let [owner] = await tx.select().from(users).where(eq(users.email, email)).limit(1).for("update");
    if (!owner) throw new Error("user row vanished during OAuth linking");
    if (!owner.emailVerifiedAt) {
      // An unverified account: whoever set its password never proved the address. End it all first.
      const now = new Date();
      [owner] = await tx
        .update(users)
        .set({
          hashedPassword: null,
          tokenVersion: sql`${users.tokenVersion} + 1`,
          emailVerifiedAt: now,
          updatedAt: now,
        })
        .where(eq(users.id, owner.id))
        .returning();
      if (!owner) throw new Error("user row vanished during OAuth linking");
      await revokeAllSessions(owner.id, tx);
      await tx
        .update(passwordResetTokens)
        .set({ usedAt: now })
        .where(and(eq(passwordResetTokens.userId, owner.id), isNull(passwordResetTokens.usedAt)));
      await tx
        .update(emailVerificationTokens)
        .set({ usedAt: now })
        .where(and(eq(emailVerificationTokens.userId, owner.id), isNull(emailVerificationTokens.usedAt)));
    }
    await tx
      .insert(oauthAccounts)
      .values({ userId: owner.id, provider: identity.provider, providerAccountId: identity.providerAccountId, email })
      .onConflictDoNothing({ target: [oauthAccounts.provider, oauthAccounts.providerAccountId] });
    return owner;
  });
  // If a concurrent sign-in won the account row, answer with the user it linked.
  return { ok: true, user: (await userByAccount(identity.provider, identity.providerAccountId)) ?? user };
}
