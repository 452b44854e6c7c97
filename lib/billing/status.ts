/**
 * Stripe subscription status → micro-agent status. Stripe has eight states; our contract has
 * four. The rule: `active` only while Stripe will deliver the service, `pending` while the
 * first payment has not gone through, `past_due` while money is owed but the subscription
 * can still recover, `canceled` once it can never bill again.
 *
 * | Stripe               | micro-agent | why                                                      |
 * | -------------------- | ----------- | -------------------------------------------------------- |
 * | `active`             | active      |                                                          |
 * | `trialing`           | active      | the customer has the service during a trial              |
 * | `incomplete`         | pending     | first invoice not paid yet (3-D Secure, failed 1st card) |
 * | `past_due`           | past_due    | a renewal failed, Stripe is retrying                     |
 * | `unpaid`             | past_due    | retries exhausted, still open and payable                |
 * | `paused`             | past_due    | trial ended without a payment method; resumable         |
 * | `incomplete_expired` | canceled    | first invoice never paid within 23 h; terminal           |
 * | `canceled`           | canceled    | terminal                                                 |
 *
 * An unknown future status maps to `null`: the caller keeps what it had rather than guess.
 */
import type Stripe from "stripe";
import type { MicroAgentStatus } from "@/db/schema";

const mapping: Record<string, MicroAgentStatus> = {
  active: "active",
  trialing: "active",
  incomplete: "pending",
  past_due: "past_due",
  unpaid: "past_due",
  paused: "past_due",
  incomplete_expired: "canceled",
  canceled: "canceled",
};

export function microAgentStatusFor(status: Stripe.Subscription.Status | string): MicroAgentStatus | null {
  return Object.hasOwn(mapping, status) ? (mapping[status] ?? null) : null;
}
