/**
 * Reads the next-auth session cookie from a plain Request (no Next request context needed),
 * so route handlers and tests share one path. Completed by the next-auth integration.
 */
export type SessionIdentity = { userId: string; tokenVersion?: number };

export async function readSessionUserId(_request: Request): Promise<SessionIdentity | null> {
  return null;
}
