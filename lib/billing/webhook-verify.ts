/**
 * Webhook authentication: the raw body text, exactly as received, against the
 * Stripe-Signature header (HMAC-SHA256 with STRIPE_WEBHOOK_SECRET, default 300 s tolerance).
 */
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
  const secret = getEnv().stripe.webhookSecret;
  if (!secret) throw notConfigured("Stripe webhook secret is not configured");
  if (!signature || signature.trim() === "") throw badRequest("Missing Stripe signature header", "missing_signature");
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw badRequest("Invalid signature", "invalid_signature");
    }
    throw badRequest("Invalid payload", "invalid_payload"); // signed, but not JSON
  }
  if (!envelopeSchema.safeParse(event).success) throw badRequest("Invalid payload", "invalid_payload");
  return event as Stripe.Event;
}
