/**
 * `requireUser(request)`: the one way a handler learns who is calling. Accepts a bearer
 * access token or the browser session cookie; throws the contract's 401 otherwise.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { verifyAccessToken } from "./access-token";
import { readSessionUserId } from "./session-cookie";

export type AuthUser = { id: string; email: string };

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

async function loadUser(userId: string, tokenVersion?: number): Promise<AuthUser | null> {
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, email: users.email, tokenVersion: users.tokenVersion })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null; // deleted user
  if (tokenVersion !== undefined && row.tokenVersion !== tokenVersion) return null; // password changed since
  return { id: row.id, email: row.email };
}

/** The caller, or null when the request carries no valid credentials. */
export async function currentUser(request: Request): Promise<AuthUser | null> {
  const token = bearerToken(request);
  if (token) {
    const claims = await verifyAccessToken(token);
    return claims ? loadUser(claims.userId, claims.tokenVersion) : null;
  }
  const session = await readSessionUserId(request);
  return session ? loadUser(session.userId, session.tokenVersion) : null;
}

export async function requireUser(request: Request): Promise<AuthUser> {
  const user = await currentUser(request);
  if (!user) throw unauthorized();
  return user;
}
