/** Email/password accounts: sign-up, credential checks and lookups by id. */
import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users, type User } from "@/db/schema";
import { badRequest } from "@/lib/http";
import { queueVerificationEmail } from "./email-verification";
import { hashPassword, verifyPassword } from "./password";

/**
 * Creates an unverified account and queues its verification link in the same transaction; an
 * address already in use (by password or OAuth) answers the contract's 400.
 */
export async function createPasswordAccount(email: string, password: string, baseUrl: string): Promise<User> {
  const hashedPassword = await hashPassword(password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ email, hashedPassword })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!row) throw badRequest("Email already registered", "email_taken");
    await queueVerificationEmail(tx, row, baseUrl);
    return row;
  });
}

/**
 * The user whose email and password match, or null. Unknown emails and OAuth-only accounts
 * still pay for one bcrypt comparison, so the answer time does not reveal which accounts exist.
 */
export async function authenticate(email: string, password: string): Promise<User | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = await verifyPassword(password, row?.hashedPassword);
  return ok && row ? row : null;
}

export async function findUserById(id: string): Promise<User | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}
