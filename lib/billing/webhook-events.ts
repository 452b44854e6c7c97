/**
 * The Stripe events the app acts on — the list the webhook endpoint is created with
 * (`npm run stripe:webhook-endpoint`) and the reconciler handles. Others answer 200 and are not
 * recorded. Kept free of imports so scripts can read it without the database or config.
 */
export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.expired",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.payment_action_required",
] as const;
