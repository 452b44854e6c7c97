/** Webhooks: events Stripe sends us. */
import { WEBHOOK_BODY_LIMIT } from "@/lib/http/body-limits";
import { failure, responseExample, type Operation } from "../spec";
import { ok, tooLarge, unavailable } from "./shared";

export const WEBHOOK_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/webhooks/stripe",
    tag: "Webhooks",
    operationId: "stripeWebhook",
    summary: "Stripe events",
    description:
      "The raw body is verified against `Stripe-Signature` with STRIPE_WEBHOOK_SECRET (5-minute tolerance). Each " +
      "event id is applied once, in any arrival order: the subscription is re-read from Stripe and its state " +
      "written. Handled: `checkout.session.completed`, `customer.subscription.created|updated|deleted`, " +
      "`invoice.paid`, `invoice.payment_failed`; other types are acknowledged and ignored. A 5xx makes Stripe retry.",
    auth: "stripe",
    parameters: [
      {
        name: "Stripe-Signature",
        in: "header",
        required: true,
        description: "`t=<unix>,v1=<hex HMAC-SHA256>` computed by Stripe.",
        schema: { type: "string" },
      },
    ],
    requestBody: {
      required: true,
      description: "A Stripe Event object, exactly as Stripe sent it.",
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["id", "type", "created", "data"],
            properties: {
              id: { type: "string" },
              type: { type: "string", examples: ["invoice.paid"] },
              created: { type: "integer" },
              data: { type: "object", properties: { object: { type: "object" } }, required: ["object"] },
            },
          },
        },
      },
    },
    responses: {
      "200": ok(
        "Verified and applied (or a duplicate, or an event type we ignore).",
        "WebhookAck",
        responseExample("WebhookAck", { received: true }),
      ),
      "400": failure(
        "The request is not a verifiable Stripe event, or a handled event is in an API version newer than the app reads.",
        { detail: "Missing Stripe signature header", code: "missing_signature" },
        { detail: "Invalid signature", code: "invalid_signature" },
        { detail: "Invalid payload", code: "invalid_payload" },
        {
          detail:
            "Stripe event evt_1 is in API version 2099-01-01.zeta, which this app does not read (it reads versions up to 2026-10-28.endive); set the webhook endpoint's API version to 2026-10-28.endive (npm run stripe:webhook-endpoint)",
          code: "unsupported_api_version",
        },
      ),
      "413": tooLarge(WEBHOOK_BODY_LIMIT),
      "500": failure("The webhook secret is not configured.", {
        detail: "Stripe webhook secret is not configured",
        code: "not_configured",
      }),
      "502": failure(
        "Stripe could not be reached to read the subscription; Stripe will redeliver.",
        {
          detail: "Stripe error",
          code: "stripe_error",
        },
        {
          detail:
            "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
          code: "stripe_unavailable",
        },
      ),
      "503": unavailable,
    },
  },
];
