/**
 * `requireUser(request)`: the one way a handler learns who is calling. Accepts a bearer
 * access token or the browser session cookie; throws the contract's 401 otherwise.
 */
import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { authSessions, users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { noteRequest } from "@/lib/observability/request-context";
import { verifyAccessToken } from "./access-token";
import { readSessionUserId, type SessionIdentity } from "./session-cookie";

export type AuthUser = { id: string; email: string };

function bearerToken(request: Pick<Request, "headers">): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

// Runs on every authenticated request: built once per database handle, and prepared on the server.
// A session cookie's recorded session is read in the same statement (one round trip either way).
const prepared = new WeakMap<Database, ReturnType<typeof prepareQueries>>();

function prepareQueries(db: Database) {
  const columns = { id: users.id, email: users.email, tokenVersion: users.tokenVersion };
  return {
    byToken: db
      .select(columns)
      .from(users)
      .where(eq(users.id, sql.placeholder("id")))
      .limit(1)
      .prepare("require_user_load"),
    bySession: db
      .select({ ...columns, revokedAt: authSessions.revokedAt, sessionUserId: authSessions.userId })
      .from(users)
      .leftJoin(authSessions, eq(authSessions.id, sql.placeholder("sid")))
      .where(eq(users.id, sql.placeholder("id")))
      .limit(1)
      .prepare("require_user_load_session"),
  };
}

async function queries() {
  const db = await getDb();
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepareQueries(db)));
  return query;
}

async function loadUser(userId: string, tokenVersion: number): Promise<AuthUser | null> {
  const [row] = await (await queries()).byToken.execute({ id: userId });
  if (!row) return null; // deleted user
  if (row.tokenVersion !== tokenVersion) return null; // password changed since
  return { id: row.id, email: row.email };
}

/** A browser session counts only while its recorded session exists, belongs to it and is not revoked. */
async function loadSessionUser(session: SessionIdentity): Promise<AuthUser | null> {
  if (!session.sessionId) return null; // sealed before sessions were recorded: sign in again
  const [row] = await (await queries()).bySession.execute({ id: session.userId, sid: session.sessionId });
  if (!row || row.tokenVersion !== session.tokenVersion) return null;
  if (row.sessionUserId !== row.id || row.revokedAt !== null) return null; // signed out
  return { id: row.id, email: row.email };
}

type Claimed = { userId: string; check: () => Promise<AuthUser | null> };

/** Who the credentials say the caller is (signature checked), and the database check still to make. */
async function claimedUser(request: Pick<Request, "headers">): Promise<Claimed | null> {
  const token = bearerToken(request);
  if (token) {
    const claims = await verifyAccessToken(token);
    return claims && { userId: claims.userId, check: () => loadUser(claims.userId, claims.tokenVersion) };
  }
  const session = await readSessionUserId(request);
  return session && { userId: session.userId, check: () => loadSessionUser(session) };
}

/**
 * The caller, or null when the request carries no valid credentials. Takes only the headers,
 * so a page can pass its own (`pageUser` in ./page-user.ts) without building a Request.
 */
export async function currentUser(request: Pick<Request, "headers">): Promise<AuthUser | null> {
  const claimed = await claimedUser(request);
  return claimed ? claimed.check() : null;
}

/** The caller of a request authenticated by the browser session cookie only (bearer tokens do not count). */
export async function currentSessionUser(request: Request): Promise<AuthUser | null> {
  const session = await readSessionUserId(request);
  return session ? loadSessionUser(session) : null;
}

export async function requireUser(request: Request): Promise<AuthUser> {
  const user = await currentUser(request);
  if (!user) throw unauthorized();
  noteRequest({ userId: user.id }); // the request's log lines name its user from here on
  return user;
}

/**
 * `requireUser` in two steps, for hot paths that make their own reads alongside the user-row
 * check: `userId` as the verified credentials claim it (no database; a missing or forged
 * credential throws the 401 here), and `confirm()`, which starts the row check and rejects with
 * the same 401. Start it together with the request's first reads so they share one round trip
 * (not before reading the body: the check would then finish alone). Nothing may be written,
 * sent or answered for the caller before it settles; reads scoped to `userId` may run meanwhile.
 */
export async function requireUserAlongside(
  request: Request,
): Promise<{ userId: string; confirm: () => Promise<AuthUser> }> {
  const claimed = await claimedUser(request);
  if (!claimed) throw unauthorized();
  noteRequest({ userId: claimed.userId });
  let confirmed: Promise<AuthUser> | undefined;
  const confirm = () => {
    if (!confirmed) {
      confirmed = claimed.check().then((user) => {
        if (!user) throw unauthorized();
        return user;
      });
      confirmed.catch(() => undefined); // handled by whoever awaits it; never an unhandled rejection
    }
    return confirmed;
  };
  return { userId: claimed.userId, confirm };
}
