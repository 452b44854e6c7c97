/**
 * `requireUser(request)`: the one way a handler learns who is calling. Accepts a bearer
 * access token or the browser session cookie; throws the contract's 401 otherwise.
 */
import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { unauthorized } from "@/lib/http";
import { verifyAccessToken } from "./access-token";
import { readSessionUserId } from "./session-cookie";

export type AuthUser = { id: string; email: string };

function bearerToken(request: Pick<Request, "headers">): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

// Runs on every authenticated request: built once per database handle, and prepared on the server.
const prepared = new WeakMap<Database, ReturnType<typeof prepareLoadUser>>();
function prepareLoadUser(db: Database) {
  return db
    .select({ id: users.id, email: users.email, tokenVersion: users.tokenVersion })
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .limit(1)
    .prepare("require_user_load");
}

async function loadUser(userId: string, tokenVersion?: number): Promise<AuthUser | null> {
  const db = await getDb();
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepareLoadUser(db)));
  const [row] = await query.execute({ id: userId });
  if (!row) return null; // deleted user
  if (tokenVersion !== undefined && row.tokenVersion !== tokenVersion) return null; // password changed since
  return { id: row.id, email: row.email };
}

/**
 * The caller, or null when the request carries no valid credentials. Takes only the headers,
 * so a page can pass its own (`pageUser` in ./page-user.ts) without building a Request.
 */
export async function currentUser(request: Pick<Request, "headers">): Promise<AuthUser | null> {
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
