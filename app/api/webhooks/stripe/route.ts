import { applyStripeEvent } from "@/lib/billing/webhook-apply";
import { verifyStripeEvent } from "@/lib/billing/webhook-verify";
import { json, readText, route, WEBHOOK_BODY_LIMIT } from "@/lib/http";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  // The signature covers the exact bytes, so the body is read as text, never re-serialised.
  const event = verifyStripeEvent(await readText(request, WEBHOOK_BODY_LIMIT), request.headers.get("stripe-signature"));
  await applyStripeEvent(event);
  return json({ received: true });
});
