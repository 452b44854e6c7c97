/**
 * Rate limits of the auth endpoints (Postgres-backed, so they hold across instances), keyed on the
 * trusted client address (lib/http/client-address.ts) and, for attempts on one account, on the
 * account and the client together: a stranger failing to sign in as you from their machine uses
 * up their own allowance, never yours. Forgot-password also has an account-wide ceiling so the
 * queue cannot be used to flood someone's mailbox, set well above what the owner needs; the
 * owner's reset links and the reset endpoint are never counted against sign-in failures.
 * Emails are hashed in bucket names: no addresses in that table.
 */
import "server-only";
import { createHash } from "node:crypto";
import { clientAddress } from "@/lib/http/client-address";
import { hasTestAllowance } from "@/lib/rate-limit/allowance";
import { consumeRateLimit, type RateLimitRule } from "@/lib/rate-limit/consume";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

type Rules = { ip: RateLimitRule; accountClient?: RateLimitRule; account?: RateLimitRule };

export const AUTH_RATE_LIMITS = {
  signup: { ip: { limit: 20, windowSeconds: HOUR } },
  login: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, accountClient: { limit: 10, windowSeconds: 15 * MINUTE } },
  forgot: {
    ip: { limit: 20, windowSeconds: HOUR },
    accountClient: { limit: 5, windowSeconds: HOUR },
    account: { limit: 20, windowSeconds: HOUR },
  },
  reset: { ip: { limit: 20, windowSeconds: HOUR }, accountClient: { limit: 10, windowSeconds: HOUR } },
  verify: { ip: { limit: 30, windowSeconds: HOUR } },
  // Signed-in actions that check the current password (change password, delete account): like login.
  confirm: { ip: { limit: 50, windowSeconds: 15 * MINUTE }, accountClient: { limit: 10, windowSeconds: 15 * MINUTE } },
} satisfies Record<string, Rules>;

export type AuthAction = keyof typeof AUTH_RATE_LIMITS;

const DETAIL = "Too many attempts. Please wait a moment and try again.";

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

/** Counts one attempt by this client (and, when known, on this account from this client); 429 past a limit. */
export async function limitAuthAttempt(action: AuthAction, request: Request, subject?: string): Promise<void> {
  const rules: Rules = AUTH_RATE_LIMITS[action];
  const client = clientAddress(request);
  // A test run against a deployment (lib/rate-limit/allowance.ts) skips the per-address limit only.
  if (!hasTestAllowance(request)) await consumeRateLimit(`auth:${action}:ip:${client}`, rules.ip, DETAIL);
  if (subject === undefined) return;
  if (rules.accountClient) {
    await consumeRateLimit(`auth:${action}:acct-ip:${digest(`${subject}\n${client}`)}`, rules.accountClient, DETAIL);
  }
  if (rules.account) await consumeRateLimit(`auth:${action}:acct:${digest(subject)}`, rules.account, DETAIL);
}

/**
 * LIKE patterns matching every rate-limit bucket that names this account: the per-account auth
 * buckets (hashed email or id) and any bucket that embeds the user id. Used when the account is deleted.
 * (Account-and-client buckets hash the client in too; they cannot be told apart and expire within the hour.)
 */
export function accountRateLimitPatterns(user: { id: string; email: string }): string[] {
  return [`%${user.id}%`, `auth:%:acct:${digest(user.email)}`, `auth:%:acct:${digest(user.id)}`];
}
