import { applyStripeEvent } from "@/lib/billing/webhook-apply";
import { verifyStripeEvent } from "@/lib/billing/webhook-verify";
import { json, readText, route, WEBHOOK_BODY_LIMIT } from "@/lib/http";
import { recordWebhook } from "@/lib/observability/metrics";
import { withSpan } from "@/lib/observability/tracing";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  // The signature covers the exact bytes, so the body is read as text, never re-serialised.
  let event;
  try {
    event = verifyStripeEvent(await readText(request, WEBHOOK_BODY_LIMIT), request.headers.get("stripe-signature"));
  } catch (err) {
    recordWebhook("unknown", "rejected");
    throw err;
  }
  const outcome = await withSpan("stripe.webhook", { "stripe.event.type": event.type }, () =>
    applyStripeEvent(event),
  ).catch((err: unknown) => {
    recordWebhook(event.type, "failed");
    throw err;
  });
  recordWebhook(event.type, outcome);
  return json({ received: true });
});
