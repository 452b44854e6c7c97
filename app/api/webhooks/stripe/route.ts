import { applyStripeEvent } from "@/lib/billing/webhook-apply";
import { verifyStripeEvent } from "@/lib/billing/webhook-verify";
import { json, readText, route } from "@/lib/http";

export const dynamic = "force-dynamic";

// Stripe events are a few KB; anything near this limit is not from Stripe.
const BODY_LIMIT = 512 * 1024;

export const POST = route(async (request) => {
  // The signature covers the exact bytes, so the body is read as text, never re-serialised.
  const event = verifyStripeEvent(await readText(request, BODY_LIMIT), request.headers.get("stripe-signature"));
  await applyStripeEvent(event);
  return json({ received: true });
});
