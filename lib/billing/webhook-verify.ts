/**
 * Webhook authentication: the raw body text, exactly as received, against the
 * Stripe-Signature header (HMAC-SHA256 with STRIPE_WEBHOOK_SECRET, default 300 s tolerance).
 * STRIPE_WEBHOOK_SECRET may list several secrets (comma-separated): a signature made with any of
 * them is accepted, so production's endpoint and a preview's, or a secret being rotated, all work.
 */
import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { badRequest, notConfigured } from "@/lib/http";

// What the reconciler relies on; the rest of the event is read per type.
const envelopeSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** The webhook's answer once an event is verified and applied (or knowingly ignored). */
export const webhookAckSchema = z.object({ received: z.literal(true) });

export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event {
  const secrets = getEnv().stripe.webhookSecrets;
  if (secrets.length === 0) throw notConfigured("Stripe webhook secret is not configured");
  if (!signature || signature.trim() === "") throw badRequest("Missing Stripe signature header", "missing_signature");
  let event: unknown;
  for (const secret of secrets) {
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
      break;
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) {
        throw badRequest("Invalid payload", "invalid_payload"); // signed, but not JSON
      }
    }
  }
  if (event === undefined) throw badRequest("Invalid signature", "invalid_signature");
  if (!envelopeSchema.safeParse(event).success) throw badRequest("Invalid payload", "invalid_payload");
  return event as Stripe.Event;
}
