/** Builders for the Stripe objects the fake serves, in the pinned API version's shapes. */
import { randomBytes } from "node:crypto";

export const API_VERSION = "2026-10-28.endive";
export const now = () => Math.floor(Date.now() / 1000);
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export type Json = Record<string, unknown>;
export type Price = Json & {
  id: string;
  active: boolean;
  type: string;
  recurring: Json | null;
  unit_amount: number;
  currency: string;
  product: string;
};
export type Product = Json & {
  id: string;
  active: boolean;
  name: string;
  description: string | null;
  metadata: Record<string, string>;
};
export type Customer = Json & { id: string };
export type Session = Json & {
  id: string;
  status: "open" | "complete" | "expired";
  url: string | null;
  customer: string | null;
  subscription: string | null;
  invoice: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string | null;
};
export type SubscriptionItem = Json & {
  id: string;
  price: Price;
  current_period_start: number;
  current_period_end: number;
};
export type Subscription = Json & {
  id: string;
  status: string;
  customer: string;
  metadata: Record<string, string>;
  items: { object: "list"; data: SubscriptionItem[]; has_more: false; total_count: number; url: string };
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  latest_invoice: string | null;
};
export type Invoice = Json & { id: string; status: string; attempt_count: number };

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

export const recurringOf = (interval = "month", interval_count = 1): Json => ({
  interval,
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
  const r = p.recurring as { interval?: string; interval_count?: number } | null;
  const unit =
    { day: 86_400, week: 7 * 86_400, month: 30 * 86_400, year: 365 * 86_400 }[r?.interval ?? "month"] ?? 30 * 86_400;
  return unit * (r?.interval_count ?? 1);
}

export function subscription(s: Session, customer: string, p: Price, metadata: Record<string, string>): Subscription {
  const id = newId("sub");
  const start = now();
  return {
    id,
    object: "subscription",
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
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
    checkout_session: s.id,
  };
}

export function invoice(sub: Subscription, reason: string): Invoice {
  const item = sub.items.data[0]!;
  const amount = item.price.unit_amount;
  return {
    id: newId("in"),
    object: "invoice",
    amount_due: amount,
    amount_paid: 0,
    amount_remaining: amount,
    attempt_count: 0,
    billing_reason: reason,
    created: now(),
    currency: item.price.currency,
    customer: sub.customer,
    hosted_invoice_url: null,
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

export function stripeError(status: number, type: string, message: string, extra: Json = {}) {
  return { status, body: { error: { type, message, ...extra, request_log_url: null } } };
}
export const missing = (kind: string, id: string, param = "id") =>
  stripeError(404, "invalid_request_error", `No such ${kind}: '${id}'`, { code: "resource_missing", param });
