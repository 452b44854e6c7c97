/** Test helper: a user row plus a bearer token for it. */
import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { issueAccessToken } from "@/lib/auth/access-token";

export type TestUser = { id: string; email: string; token: string; headers: Record<string, string> };

export async function createTestUser(email?: string): Promise<TestUser> {
  const db = await getDb();
  const address = email ?? `user-${randomBytes(4).toString("hex")}@example.com`;
  const [row] = await db.insert(users).values({ email: address }).returning();
  if (!row) throw new Error("insert returned nothing");
  const token = await issueAccessToken(row);
  return { id: row.id, email: row.email, token, headers: { authorization: `Bearer ${token}` } };
}
