/**
 * Browser sessions recorded server-side. next-auth's session cookie is a sealed JWT; on its own
 * it would keep working until it expires, even after sign-out. Each sign-in therefore records a
 * row in auth_sessions and the cookie carries its id (`sid`): signing out revokes that row and
 * the cookie stops working at once. Bumping users.token_version still ends every session and
 * bearer token of the account together ("sign out everywhere", password changes).
 */
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { authSessions } from "@/db/schema";

/** How long a browser session lasts without use (next-auth rolls the cookie forward while it is used). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Records a new browser session for the user and returns its id (the cookie's `sid`). */
export async function startSession(userId: string, db?: Queryable): Promise<string> {
  const [row] = await (db ?? (await getDb()))
    .insert(authSessions)
    .values({ userId })
    .returning({ id: authSessions.id });
  if (!row) throw new Error("insert into auth_sessions returned nothing");
  return row.id;
}

/** Ends one session (sign-out). Unknown or already revoked ids are ignored. */
export async function revokeSession(sessionId: unknown): Promise<void> {
  if (!isSessionId(sessionId)) return;
  const db = await getDb();
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}

/** Ends every session of a user (used with a token_version bump when an account changes hands). */
export async function revokeAllSessions(userId: string, db?: Queryable): Promise<void> {
  await (db ?? (await getDb()))
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)));
}
