/**
 * Builders for the Stripe objects the fake serves, in the pinned API version's shapes. Each type
 * is the SDK's own type narrowed to the fields the fake fills (`Pick<Stripe.X, …>`), so an SDK
 * upgrade that renames, moves or retypes one of them fails the typecheck here.
 */
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { STRIPE_API_VERSION } from "@/lib/billing/api-version";

export const API_VERSION = STRIPE_API_VERSION;

/** The fake's clock: Stripe's idea of now, which tests can move forward (`advanceClock`). */
export const clock = { offsetSeconds: 0 };
export const now = () => Math.floor(Date.now() / 1000) + clock.offsetSeconds;
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export type Json = Record<string, unknown>;
type List<T> = { object: "list"; data: T[]; has_more: boolean; total_count: number; url: string };

export type Price = Pick<
  Stripe.Price,
  | "id"
  | "object"
  | "active"
  | "billing_scheme"
  | "created"
  | "currency"
  | "livemode"
  | "lookup_key"
  | "metadata"
  | "nickname"
  | "recurring"
  | "tax_behavior"
  | "type"
> & { product: string; unit_amount: number; unit_amount_decimal: string }; // the SDK types the decimal string as its Decimal class
export type Product = Pick<
  Stripe.Product,
  | "id"
  | "object"
  | "active"
  | "created"
  | "description"
  | "images"
  | "livemode"
  | "marketing_features"
  | "metadata"
  | "name"
  | "package_dimensions"
  | "shippable"
  | "statement_descriptor"
  | "type"
  | "unit_label"
  | "updated"
  | "url"
> & { default_price: string | null; tax_code: string | null };
export type Customer = Pick<Stripe.Customer, "id" | "object" | "created" | "email" | "name" | "metadata" | "livemode">;
export type Session = Pick<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "amount_total"
  | "cancel_url"
  | "client_reference_id"
  | "created"
  | "currency"
  | "customer_details"
  | "customer_email"
  | "expires_at"
  | "livemode"
  | "mode"
  | "payment_status"
  | "ui_mode"
  | "url"
> & {
  status: Extract<Stripe.Checkout.Session.Status, "open" | "complete" | "expired">;
  customer: string | null;
  subscription: string | null;
  invoice: string | null;
  metadata: Record<string, string>;
  success_url: string;
};
export type SubscriptionItem = Pick<
  Stripe.SubscriptionItem,
  "id" | "object" | "created" | "current_period_start" | "current_period_end" | "metadata" | "quantity" | "subscription"
> & { price: Price };
export type Subscription = Pick<
  Stripe.Subscription,
  | "id"
  | "object"
  | "billing_cycle_anchor"
  | "cancel_at"
  | "cancel_at_period_end"
  | "canceled_at"
  | "cancellation_details"
  | "collection_method"
  | "created"
  | "currency"
  | "ended_at"
  | "livemode"
  | "start_date"
  | "status"
  | "trial_end"
  | "trial_start"
> & {
  customer: string;
  metadata: Record<string, string>;
  items: List<SubscriptionItem>;
  latest_invoice: string | null;
};
type InvoiceLine = Pick<Stripe.InvoiceLineItem, "id" | "object" | "amount" | "currency" | "period" | "quantity"> & {
  parent: Json;
  pricing: Json;
};
export type Invoice = Pick<
  Stripe.Invoice,
  | "id"
  | "object"
  | "amount_due"
  | "amount_paid"
  | "amount_remaining"
  | "attempt_count"
  | "attempted"
  | "billing_reason"
  | "created"
  | "currency"
  | "hosted_invoice_url"
  | "livemode"
  | "next_payment_attempt"
  | "parent"
  | "period_end"
  | "period_start"
  | "status"
> & { customer: string; lines: List<InvoiceLine> };
export type PortalConfiguration = Stripe.BillingPortal.Configuration;
export type WebhookEndpoint = Pick<
  Stripe.WebhookEndpoint,
  | "id"
  | "object"
  | "api_version"
  | "created"
  | "description"
  | "enabled_events"
  | "livemode"
  | "metadata"
  | "status"
  | "url"
> & { secret: string };
export type StripeEvent = Pick<
  Stripe.Event,
  "id" | "object" | "api_version" | "created" | "livemode" | "pending_webhooks" | "request"
> & { type: Stripe.Event.Type; data: { object: Json; previous_attributes?: Json } };

export function product(fields: Partial<Product> & { id: string; name: string }): Product {
  const created = now();
  return {
    object: "product",
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: "service",
    unit_label: null,
    updated: created,
    url: null,
    ...fields,
  };
}

export const recurringOf = (interval = "month", interval_count = 1): Stripe.Price.Recurring => ({
  interval: interval as Stripe.Price.Recurring.Interval,
  interval_count,
  usage_type: "licensed",
  meter: null,
  trial_period_days: null,
});

export function price(fields: Partial<Price> & { id: string }): Price {
  const recurring = fields.type === "one_time" ? null : recurringOf();
  return {
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: now(),
    currency: "usd",
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: `prod_${fields.id}`,
    recurring,
    tax_behavior: "unspecified",
    type: recurring ? "recurring" : "one_time",
    unit_amount: 900,
    unit_amount_decimal: String(fields.unit_amount ?? 900),
    ...fields,
  };
}

/** Length of one billing period of a price, in seconds (fake calendar: 30-day months). */
export function periodSeconds(p: Price): number {
  const r = p.recurring;
  const units: Record<string, number> = { day: 86_400, week: 7 * 86_400, month: 30 * 86_400, year: 365 * 86_400 };
  const unit = units[r?.interval ?? "month"] ?? 30 * 86_400;
  return unit * (r?.interval_count ?? 1);
}

export function subscription(customer: string, p: Price, metadata: Record<string, string>): Subscription {
  const id = newId("sub");
  const start = now();
  return {
    id,
    object: "subscription",
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: start,
    currency: p.currency,
    customer,
    ended_at: null,
    items: {
      object: "list",
      data: [
        {
          id: newId("si"),
          object: "subscription_item",
          created: start,
          current_period_start: start,
          current_period_end: start + periodSeconds(p),
          metadata: {},
          price: p,
          quantity: 1,
          subscription: id,
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata,
    start_date: start,
    status: "incomplete",
    trial_end: null,
    trial_start: null,
  };
}

export function invoice(sub: Subscription, reason: Stripe.Invoice.BillingReason, hostedBaseUrl: string): Invoice {
  const item = sub.items.data[0]!;
  const amount = item.price.unit_amount;
  const id = newId("in");
  return {
    id,
    object: "invoice",
    amount_due: amount,
    amount_paid: 0,
    amount_remaining: amount,
    attempt_count: 0,
    attempted: false,
    billing_reason: reason,
    created: now(),
    currency: item.price.currency,
    customer: sub.customer,
    hosted_invoice_url: `${hostedBaseUrl}/i/${id}`,
    lines: {
      object: "list",
      data: [
        {
          id: newId("il"),
          object: "line_item",
          amount,
          currency: item.price.currency,
          parent: {
            type: "subscription_item_details",
            invoice_item_details: null,
            subscription_item_details: { subscription: sub.id, subscription_item: item.id, proration: false },
          },
          period: { start: item.current_period_start, end: item.current_period_end },
          pricing: {
            type: "price_details",
            price_details: { price: item.price.id, product: item.price.product },
            unit_amount_decimal: String(amount),
          },
          quantity: 1,
        },
      ],
      has_more: false,
      total_count: 1,
      url: "/v1/invoices/lines",
    },
    livemode: false,
    next_payment_attempt: null,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } },
    },
    period_end: item.current_period_end,
    period_start: item.current_period_start,
    status: "open",
  };
}

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export function stripeError(status: number, type: string, message: string, extra: Json = {}): Reply {
  return { status, body: { error: { type, message, ...extra, request_log_url: null } } };
}
export const missing = (kind: string, id: string, param = "id") =>
  stripeError(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing", param });
