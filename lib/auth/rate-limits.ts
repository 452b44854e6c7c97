/**
 * Rate limits of the auth endpoints, per client address and per account email (Postgres-backed,
 * so they hold across instances). Emails are hashed in bucket names: no addresses in that table.
 */
import { createHash } from "node:crypto";
import { clientIp, consumeRateLimit, type RateLimitRule } from "@/lib/rate-limit/consume";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const AUTH_RATE_LIMITS = {
  signup: { ip: { limit: 20, windowSeconds: HOUR } },
  login: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, email: { limit: 10, windowSeconds: 15 * MINUTE } },
  forgot: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 5, windowSeconds: HOUR } },
  reset: { ip: { limit: 20, windowSeconds: HOUR }, email: { limit: 10, windowSeconds: HOUR } },
  // Signed-in actions that check the current password (change password, delete account): like login.
  confirm: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, email: { limit: 10, windowSeconds: 15 * MINUTE } },
  verify: { ip: { limit: 30, windowSeconds: HOUR } },
} satisfies Record<string, { ip: RateLimitRule; email?: RateLimitRule }>;

export type AuthAction = keyof typeof AUTH_RATE_LIMITS;

const DETAIL = "Too many attempts. Please wait a moment and try again.";

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

/** Counts one attempt by this client (and, when known, on this account); throws 429 past a limit. */
export async function limitAuthAttempt(action: AuthAction, request: Request, subject?: string): Promise<void> {
  const rules: { ip: RateLimitRule; email?: RateLimitRule } = AUTH_RATE_LIMITS[action];
  await consumeRateLimit(`auth:${action}:ip:${clientIp(request)}`, rules.ip, DETAIL);
  if (subject !== undefined && rules.email) {
    await consumeRateLimit(`auth:${action}:acct:${digest(subject)}`, rules.email, DETAIL);
  }
}

/**
 * LIKE patterns matching every rate-limit bucket that names this account: the per-account auth
 * buckets (hashed email or id) and any bucket that embeds the user id. Used when the account is deleted.
 */
export function accountRateLimitPatterns(user: { id: string; email: string }): string[] {
  return [`%${user.id}%`, `auth:%:acct:${digest(user.email)}`, `auth:%:acct:${digest(user.id)}`];
}
