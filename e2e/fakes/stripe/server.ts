/**
 * A local Stripe for tests and offline demos: the REST endpoints the app calls (form-encoded,
 * `/v1/...`, Stripe's error bodies and idempotency), a hosted-checkout page whose "Pay" button
 * completes the session, and webhook delivery of the resulting events to the app, signed with
 * the endpoint secret exactly as Stripe signs them. The real `stripe` SDK runs against it unchanged.
 * The customer portal (`/v1/billing_portal/sessions` and its hosted page) is in portal.ts.
 *
 * As strict as Stripe where the app could be caught out:
 * - Idempotency: a reply is saved under its `Idempotency-Key` once the endpoint has run —
 *   including a 5xx (an injected failure counts as one) — and replayed to every retry with that
 *   key (`Idempotent-Replayed: true`); validation errors (400/404) are not saved.
 * - Unknown parameters and unexpandable `expand` paths answer 400 (strict.ts).
 * - The portal needs a saved default configuration or a named one (portal.ts).
 * - Events are rendered in the webhook endpoint's API version (before 2025-03-31.basil an
 *   invoice names its subscription at the top level, with no `parent`).
 * - Checkout sessions expire at `expires_at` on the fake's clock (`advanceClock`), and an
 *   `incomplete` subscription expires 23 h after creation.
 * - Deleting a customer cancels its subscriptions.
 * - Payments can fail or need authentication (`setPaymentOutcome`), leaving an open invoice
 *   with a hosted page (`/i/{id}`) where it can be paid.
 *
 * Test controls (in-process via the returned handle, or over HTTP under `/_fake/`):
 * completeCheckout, renew (paid or failed), scheduleCancel, events, deliver (redeliver any event,
 * optionally with an old timestamp), failNext (inject a Stripe error), settled (await deliveries),
 * advanceClock, setPaymentOutcome, payInvoice, setWebhookApiVersion.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type Stripe from "stripe";
import { apiVersionDate, INVOICE_PARENT_SINCE } from "@/lib/billing/api-version";
import { list, metadataOf, obj, parseForm, str, type FormObject, type FormValue } from "./form";
import * as o from "./objects";
import { portalConfigurations, portalPage, type PortalSession } from "./portal";
import { SEED_CATALOGUE } from "./seed-catalogue";
import { refuseUnknown } from "./strict";
import { httpTransport, signatureHeader, type Delivery, type Transport } from "./webhooks";

export type FakeStripeOptions = {
  appBaseUrl?: string;
  stripeWebhookSecret?: string;
  /** Replaces the HTTP POST to `${appBaseUrl}/api/webhooks/stripe` (in-process tests). */
  transport?: Transport;
  /** Deliver events as they happen (default true); off, tests deliver them by hand. */
  autoDeliver?: boolean;
  /** Start with the development catalogue (default true); off, the account starts with no products. */
  seedCatalogue?: boolean;
  /** The account has saved portal settings in the dashboard (default false, as on a fresh account). */
  portalDefaultConfiguration?: boolean;
  /** The account's default API version, used for events when no webhook endpoint names one (default: pinned). */
  accountApiVersion?: string;
};

type Reply = o.Reply;
type Injected = { method: string; path: RegExp; status: number; type: string; message: string; code?: string };
type StripeEvent = o.StripeEvent;
/** What happens when the customer's payment method is charged. */
export type PaymentOutcome = "succeed" | "fail" | "requires_action";

export type FakeStripe = Awaited<ReturnType<typeof start>>;

/** Prices the tests name: the seed catalogue's, and a few that are not in it. */
export const SEED_PRICES = {
  monthly: "price_inbox_triage_monthly",
  yearly: "price_inbox_triage_yearly",
  otherMonthly: "price_meeting_notes_monthly",
  oneTime: "price_one_time",
  retired: "price_retired",
  unlisted: "price_unlisted_monthly",
} as const;
export { SEED_CATALOGUE } from "./seed-catalogue";

const clone = <T>(v: T): T => structuredClone(v);

export async function start(port: number, options: FakeStripeOptions = {}) {
  const secret = options.stripeWebhookSecret ?? "whsec_fake";
  const products = new Map<string, o.Product>();
  const prices = new Map<string, o.Price>();
  const customers = new Map<string, o.Customer>();
  const deletedCustomers = new Set<string>();
  const sessions = new Map<string, o.Session>();
  const sessionSubscriptionData = new Map<string, { metadata: Record<string, string>; price: string }>();
  const subscriptions = new Map<string, o.Subscription>();
  const invoices = new Map<string, o.Invoice>();
  const portalSessions = new Map<string, PortalSession>();
  const portal = portalConfigurations(
    { products, prices },
    { defaultSaved: options.portalDefaultConfiguration ?? false },
  );
  const webhookEndpoints = new Map<string, o.WebhookEndpoint>();
  const paymentOutcomes = new Map<string, PaymentOutcome>();
  let accountApiVersion = options.accountApiVersion ?? o.API_VERSION;
  const events: StripeEvent[] = [];
  const deliveries: Delivery[] = [];
  const idempotency = new Map<string, { fingerprint: string; reply: Reply }>();
  const injected: Injected[] = [];
  const requests: { method: string; path: string; params: FormObject; headers: http.IncomingHttpHeaders }[] = [];
  let autoDeliver = options.autoDeliver ?? true;
  let queue: Promise<void> = Promise.resolve();
  let baseUrl = "";

  for (const entry of options.seedCatalogue === false ? [] : SEED_CATALOGUE) {
    const product = o.product({
      id: entry.id,
      name: entry.name,
      description: entry.description,
      metadata: { workflow_id: entry.workflowId },
      default_price: entry.prices[0]?.id ?? null,
    });
    products.set(product.id, product);
    for (const sp of entry.prices) {
      const p = o.price({
        id: sp.id,
        product: product.id,
        lookup_key: sp.lookupKey,
        unit_amount: sp.amount,
        recurring: o.recurringOf(sp.interval),
      });
      prices.set(p.id, p);
    }
  }
  // Outside the catalogue: a one-off price, an archived plan, and a product that unlocks no workflow.
  const extras = o.product({ id: "prod_extras", name: "Consulting hour", description: "Not a micro-agent." });
  products.set(extras.id, extras);
  for (const p of [
    o.price({ id: SEED_PRICES.oneTime, type: "one_time", product: extras.id, nickname: "One-off" }),
    o.price({ id: SEED_PRICES.unlisted, product: extras.id, nickname: "Retainer (monthly)" }),
    o.price({ id: SEED_PRICES.retired, active: false, product: "prod_inbox_triage", nickname: "Retired plan" }),
  ])
    prices.set(p.id, p);

  const transport =
    options.transport ?? (options.appBaseUrl ? httpTransport(`${options.appBaseUrl}/api/webhooks/stripe`) : undefined);

  // ── events and delivery ────────────────────────────────────────────
  function emit(type: Stripe.Event.Type, object: object, previous?: o.Json): StripeEvent {
    const data = clone(object) as o.Json;
    const event: StripeEvent = {
      id: o.newId("evt"),
      object: "event",
      api_version: o.API_VERSION,
      created: o.now(),
      data: previous ? { object: data, previous_attributes: previous } : { object: data },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    events.push(event);
    if (autoDeliver) enqueue(event);
    return event;
  }

  /** The endpoint's version: the newest endpoint created through the API, else the account default. */
  const endpointApiVersion = () => [...webhookEndpoints.values()].at(-1)?.api_version ?? accountApiVersion;

  /**
   * The event as Stripe renders it for an endpoint pinned to `version`. Stored events are in the
   * pinned version; before basil an invoice names its subscription at the top level (no `parent`)
   * and a subscription carries its period at the top level.
   */
  function render(event: StripeEvent, version: string): StripeEvent {
    const out = clone(event);
    out.api_version = version;
    if (apiVersionDate(version) >= INVOICE_PARENT_SINCE) return out;
    const object = out.data.object;
    if (object.object === "invoice") {
      const parent = object.parent as { subscription_details?: { subscription?: string } | null } | null;
      object.subscription = parent?.subscription_details?.subscription ?? null;
      delete object.parent;
    }
    if (object.object === "subscription") {
      const item = (object as unknown as o.Subscription).items.data[0];
      object.current_period_start = item?.current_period_start ?? null;
      object.current_period_end = item?.current_period_end ?? null;
    }
    return out;
  }

  async function deliver(
    event: StripeEvent,
    opts: { timestamp?: number; secret?: string; apiVersion?: string } = {},
  ): Promise<Delivery> {
    if (!transport) throw new Error("fake stripe: no appBaseUrl or transport to deliver webhooks to");
    const payload = JSON.stringify(render(event, opts.apiVersion ?? endpointApiVersion()), null, 2);
    const headers = {
      "content-type": "application/json; charset=utf-8",
      "stripe-signature": signatureHeader(payload, opts.secret ?? secret, opts.timestamp),
      "user-agent": "Stripe/1.0",
    };
    let result: { status: number; body: string };
    try {
      result = await transport(payload, headers);
    } catch (err) {
      result = { status: 0, body: String(err) };
    }
    const delivery = { eventId: event.id, type: event.type, status: result.status, body: result.body, at: Date.now() };
    deliveries.push(delivery);
    return delivery;
  }

  /** In order, one at a time; a failed delivery is retried a few times, as Stripe would (faster). */
  function enqueue(event: StripeEvent): void {
    queue = queue.then(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const d = await deliver(event).catch(() => undefined);
        if (!d || (d.status >= 200 && d.status < 300)) return;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    });
  }

  // ── lifecycle ──────────────────────────────────────────────────────
  const outcomeFor = (customer: string): PaymentOutcome => paymentOutcomes.get(customer) ?? "succeed";

  /** One charge attempt on an open invoice; answers whether it was paid. */
  function pay(inv: o.Invoice, outcome: PaymentOutcome): boolean {
    inv.attempt_count += 1;
    inv.attempted = true;
    if (outcome === "succeed") {
      Object.assign(inv, {
        status: "paid",
        amount_paid: inv.amount_due,
        amount_remaining: 0,
        next_payment_attempt: null,
      });
      emit("invoice.paid", inv);
      return true;
    }
    emit(outcome === "fail" ? "invoice.payment_failed" : "invoice.payment_action_required", inv);
    return false;
  }

  function setStatus(
    sub: o.Subscription,
    status: Stripe.Subscription.Status,
    extra: Partial<o.Subscription> = {},
  ): void {
    const previous: o.Json = { status: sub.status };
    for (const k of Object.keys(extra) as (keyof o.Subscription)[]) previous[k] = sub[k];
    Object.assign(sub, { status }, extra);
    emit("customer.subscription.updated", sub, previous);
  }

  function newInvoice(sub: o.Subscription, reason: Stripe.Invoice.BillingReason): o.Invoice {
    const inv = o.invoice(sub, reason, baseUrl);
    invoices.set(inv.id, inv);
    sub.latest_invoice = inv.id;
    emit("invoice.created", inv);
    return inv;
  }

  /**
   * What paying on the hosted page does: subscription + first invoice, then the session
   * completes. When the first payment fails or needs authentication (the customer's
   * `setPaymentOutcome`, or `payment` here) the subscription stays `incomplete` with an open
   * invoice, as with a delayed or challenged payment; it expires 23 h later unless paid.
   */
  function completeCheckout(
    sessionId: string,
    opts: { payment?: PaymentOutcome } = {},
  ): {
    subscription: o.Subscription;
    invoice: o.Invoice;
    events: StripeEvent[];
  } {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`fake stripe: no such checkout session ${sessionId}`);
    if (session.status !== "open") throw new Error(`fake stripe: checkout session ${sessionId} is ${session.status}`);
    const data = sessionSubscriptionData.get(sessionId)!;
    const p = prices.get(data.price)!;
    const from = events.length;
    const sub = o.subscription(session.customer!, p, data.metadata);
    subscriptions.set(sub.id, sub);
    emit("customer.subscription.created", sub);
    const inv = newInvoice(sub, "subscription_create");
    const paid = pay(inv, opts.payment ?? outcomeFor(sub.customer));
    if (paid) setStatus(sub, "active");
    Object.assign(session, {
      status: "complete",
      payment_status: paid ? "paid" : "unpaid",
      url: null,
      subscription: sub.id,
      invoice: inv.id,
    });
    emit("checkout.session.completed", session);
    return { subscription: sub, invoice: inv, events: events.slice(from) };
  }

  /** The customer pays an open invoice on its hosted page: the subscription becomes active again. */
  function payInvoice(invoiceId: string): StripeEvent[] {
    const inv = invoices.get(invoiceId);
    if (!inv) throw new Error(`fake stripe: no such invoice ${invoiceId}`);
    if (inv.status !== "open") throw new Error(`fake stripe: invoice ${invoiceId} is ${inv.status}`);
    const from = events.length;
    pay(inv, "succeed");
    const subId = (inv.parent?.subscription_details?.subscription as string | undefined) ?? "";
    const sub = subscriptions.get(subId);
    if (sub && (sub.status === "incomplete" || sub.status === "past_due" || sub.status === "unpaid"))
      setStatus(sub, "active");
    return events.slice(from);
  }

  /**
   * Moves the fake's clock on: open checkout sessions past `expires_at` expire
   * (`checkout.session.expired`), and `incomplete` subscriptions older than 23 h become
   * `incomplete_expired` with their invoice voided.
   */
  function tick(): void {
    const at = o.now();
    for (const s of sessions.values()) {
      if (s.status === "open" && s.expires_at <= at) {
        Object.assign(s, { status: "expired", url: null });
        emit("checkout.session.expired", s);
      }
    }
    for (const sub of subscriptions.values()) {
      if (sub.status === "incomplete" && sub.created + 23 * 3600 <= at) {
        const inv = sub.latest_invoice ? invoices.get(sub.latest_invoice) : undefined;
        if (inv?.status === "open") {
          inv.status = "void";
          emit("invoice.voided", inv);
        }
        setStatus(sub, "incomplete_expired", { ended_at: at });
      }
    }
  }

  function advanceClock(seconds: number): StripeEvent[] {
    const from = events.length;
    o.clock.offsetSeconds += seconds;
    tick();
    return events.slice(from);
  }

  /** A renewal: the period moves on and its invoice is paid (→ active) or fails (→ past_due). */
  function renew(subscriptionId: string, paid = true): { invoice: o.Invoice; events: StripeEvent[] } {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake stripe: no such subscription ${subscriptionId}`);
    const from = events.length;
    for (const item of sub.items.data) {
      const length = o.periodSeconds(item.price);
      item.current_period_start = item.current_period_end;
      item.current_period_end += length;
    }
    const inv = newInvoice(sub, "subscription_cycle");
    pay(inv, paid ? "succeed" : "fail");
    setStatus(sub, paid ? "active" : "past_due");
    return { invoice: inv, events: events.slice(from) };
  }

  function scheduleCancel(subscriptionId: string, atPeriodEnd = true): StripeEvent[] {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake stripe: no such subscription ${subscriptionId}`);
    const from = events.length;
    const end = Math.max(...sub.items.data.map((i) => i.current_period_end));
    setStatus(sub, sub.status, { cancel_at_period_end: atPeriodEnd, cancel_at: atPeriodEnd ? end : null });
    return events.slice(from);
  }

  function cancelNow(sub: o.Subscription): void {
    if (sub.status === "canceled" || sub.status === "incomplete_expired") return;
    const at = o.now();
    Object.assign(sub, {
      status: "canceled",
      canceled_at: at,
      ended_at: at,
      cancel_at_period_end: false,
      cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: "cancellation_requested" },
    });
    emit("customer.subscription.deleted", sub);
  }

  // ── REST ────────────────────────────────────────────────────────────
  function expandSession(s: o.Session, expand: string[]): o.Json {
    const out: o.Json = clone(s);
    if (expand.includes("subscription") && s.subscription) out.subscription = clone(subscriptions.get(s.subscription));
    if (expand.includes("customer") && s.customer) out.customer = clone(customers.get(s.customer)) ?? s.customer;
    if (expand.includes("invoice") && s.invoice) out.invoice = clone(invoices.get(s.invoice));
    return out;
  }

  function createSession(p: FormObject): Reply {
    const mode = str(p.mode);
    if (mode !== "subscription" && mode !== "payment" && mode !== "setup") {
      return o.stripeError(400, "invalid_request_error", "Missing required param: mode.", {
        code: "parameter_missing",
        param: "mode",
      });
    }
    const successUrl = str(p.success_url);
    if (!successUrl)
      return o.stripeError(400, "invalid_request_error", "Missing required param: success_url.", {
        code: "parameter_missing",
        param: "success_url",
      });
    const customer = str(p.customer);
    if (customer && str(p.customer_email))
      return o.stripeError(
        400,
        "invalid_request_error",
        "You may only specify one of these parameters: customer, customer_email.",
        { param: "customer" },
      );
    // Stripe answers 400 resource_missing for a referenced customer that does not (or no longer) exist.
    if (customer && !customers.has(customer))
      return o.stripeError(400, "invalid_request_error", `No such customer: '${customer}'`, {
        code: "resource_missing",
        param: "customer",
      });
    const line = obj(list(p.line_items)[0]);
    const priceId = str(line.price);
    if (!priceId)
      return o.stripeError(400, "invalid_request_error", "Missing required param: line_items[0][price].", {
        code: "parameter_missing",
        param: "line_items[0][price]",
      });
    const pr = prices.get(priceId);
    if (!pr) return o.missing("price", priceId, "line_items[0][price]");
    if (!pr.active)
      return o.stripeError(400, "invalid_request_error", `The price specified is inactive.`, {
        param: "line_items[0][price]",
      });
    if (mode === "subscription" && pr.type !== "recurring") {
      return o.stripeError(
        400,
        "invalid_request_error",
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        { param: "line_items[0][price]" },
      );
    }
    const expiresAt = str(p.expires_at) === undefined ? o.now() + 86_400 : Number(str(p.expires_at));
    if (!Number.isInteger(expiresAt) || expiresAt < o.now() + 1800 || expiresAt > o.now() + 86_400)
      return o.stripeError(
        400,
        "invalid_request_error",
        "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        { param: "expires_at" },
      );
    const id = `cs_test_${o.newId("x").slice(2)}`;
    const session: o.Session = {
      id,
      object: "checkout.session",
      amount_total: pr.unit_amount,
      cancel_url: str(p.cancel_url) ?? null,
      client_reference_id: str(p.client_reference_id) ?? null,
      created: o.now(),
      currency: pr.currency,
      customer: customer ?? null,
      customer_details: null,
      customer_email: str(p.customer_email) ?? null,
      expires_at: expiresAt,
      invoice: null,
      livemode: false,
      metadata: metadataOf(p.metadata),
      mode,
      payment_status: "unpaid",
      status: "open",
      subscription: null,
      success_url: successUrl,
      ui_mode: "hosted_page",
      url: `${baseUrl}/checkout/${id}`,
    };
    sessions.set(id, session);
    sessionSubscriptionData.set(id, { metadata: metadataOf(obj(p.subscription_data).metadata), price: priceId });
    return { status: 200, body: session };
  }

  /** Stripe's boolean list filters: absent matches everything. */
  function flag(v: FormValue | undefined, actual: boolean): boolean {
    const want = str(v);
    return want === undefined || (want === "true") === actual;
  }

  const paramMissing = (param: string) =>
    o.stripeError(400, "invalid_request_error", `Missing required param: ${param}.`, {
      code: "parameter_missing",
      param,
    });

  /** A list page, newest first, paged with `limit` (1–100, default 10) and `starting_after`. */
  function listReply<T extends { id: string }>(all: T[], p: FormObject, url: string, render: (t: T) => o.Json): Reply {
    const limit = Math.min(Math.max(Number(str(p.limit) ?? 10) || 10, 1), 100);
    let items = [...all].reverse();
    const after = str(p.starting_after);
    if (after) {
      const i = items.findIndex((x) => x.id === after);
      if (i === -1) return o.missing("object", after, "starting_after");
      items = items.slice(i + 1);
    }
    return {
      status: 200,
      body: { object: "list", data: items.slice(0, limit).map(render), has_more: items.length > limit, url },
    };
  }

  /** `expand[]=product` (or `data.product` on a list) replaces the product id with the product. */
  function expandPrice(pr: o.Price, expand: string[], prefix = ""): o.Json {
    const out: o.Json = clone(pr);
    if (expand.includes(`${prefix}product`)) out.product = clone(products.get(pr.product)) ?? pr.product;
    return out;
  }

  /** `expand[]=items.data.price.product` puts each item's product in place of its id. */
  function expandSubscription(sub: o.Subscription, expand: string[]): o.Json {
    const out: o.Json & o.Subscription = clone(sub);
    if (expand.includes("items.data.price.product"))
      for (const item of out.items.data) item.price = expandPrice(item.price, ["product"]) as unknown as o.Price;
    if (expand.includes("latest_invoice") && sub.latest_invoice)
      out.latest_invoice = clone(invoices.get(sub.latest_invoice)) as unknown as string;
    if (expand.includes("customer")) out.customer = clone(customers.get(sub.customer)) as unknown as string;
    return out;
  }

  function createPrice(p: FormObject): Reply {
    const product = str(p.product);
    if (!product) return paramMissing("product");
    if (!products.has(product)) return o.missing("product", product, "product");
    const currency = str(p.currency);
    if (!currency) return paramMissing("currency");
    const amount = Number(str(p.unit_amount));
    if (!Number.isInteger(amount) || amount < 0) return paramMissing("unit_amount");
    const r = obj(p.recurring);
    const lookupKey = str(p.lookup_key) ?? null;
    if (lookupKey && [...prices.values()].some((x) => x.lookup_key === lookupKey))
      return o.stripeError(400, "invalid_request_error", `A price (…) already uses the lookup key '${lookupKey}'.`, {
        param: "lookup_key",
      });
    const pr = o.price({
      id: o.newId("price"),
      product,
      currency,
      unit_amount: amount,
      nickname: str(p.nickname) ?? null,
      lookup_key: lookupKey,
      metadata: metadataOf(p.metadata),
      ...(str(r.interval)
        ? { recurring: o.recurringOf(str(r.interval), Number(str(r.interval_count) ?? 1)) }
        : { type: "one_time", recurring: null }),
    });
    prices.set(pr.id, pr);
    return { status: 200, body: pr };
  }

  /**
   * Changing a subscription's price (`items[0][id]` + `items[0][price]`), as a plan change does.
   * Stripe prorates by default; a change of billing interval also restarts the period now and
   * invoices at once. Emits `customer.subscription.updated` with the previous items.
   */
  function updateSubscription(sub: o.Subscription, p: FormObject): Reply {
    if (sub.status === "canceled" || sub.status === "incomplete_expired") {
      return o.stripeError(
        400,
        "invalid_request_error",
        "A canceled subscription can only update its cancellation_details and metadata.",
      );
    }
    const changes: { item: o.SubscriptionItem; price: o.Price }[] = [];
    for (const [i, raw] of list(p.items).entries()) {
      const f = obj(raw);
      const item = sub.items.data.find((x) => x.id === str(f.id));
      if (!item)
        return o.stripeError(400, "invalid_request_error", "No such subscription item", {
          code: "resource_missing",
          param: `items[${i}][id]`,
        });
      const priceId = str(f.price);
      if (!priceId) continue;
      const pr = prices.get(priceId);
      if (!pr)
        return o.stripeError(400, "invalid_request_error", `No such price: '${priceId}'`, {
          code: "resource_missing",
          param: `items[${i}][price]`,
        });
      if (!pr.active || pr.type !== "recurring")
        return o.stripeError(400, "invalid_request_error", "The price specified is inactive or not recurring.", {
          param: `items[${i}][price]`,
        });
      changes.push({ item, price: pr });
    }
    const previous: o.Json = {};
    if (changes.length) previous.items = clone(sub.items);
    let restart = false;
    for (const { item, price: pr } of changes) {
      if (o.periodSeconds(pr) !== o.periodSeconds(item.price)) {
        restart = true;
        item.current_period_start = o.now();
        item.current_period_end = item.current_period_start + o.periodSeconds(pr);
      }
      item.price = pr;
    }
    if (str(p.cancel_at_period_end) !== undefined) {
      previous.cancel_at_period_end = sub.cancel_at_period_end;
      sub.cancel_at_period_end = str(p.cancel_at_period_end) === "true";
      sub.cancel_at = sub.cancel_at_period_end ? Math.max(...sub.items.data.map((x) => x.current_period_end)) : null;
    }
    if (p.metadata !== undefined) {
      previous.metadata = { ...sub.metadata };
      sub.metadata = metadataOf({ ...sub.metadata, ...obj(p.metadata) });
    }
    emit("customer.subscription.updated", sub, previous);
    if (restart) {
      // Stripe's default payment_behavior (allow_incomplete): the update stands, and an unpaid
      // invoice leaves the subscription past_due.
      const inv = newInvoice(sub, "subscription_update");
      if (!pay(inv, outcomeFor(sub.customer))) setStatus(sub, "past_due");
    }
    return { status: 200, body: sub };
  }

  function handle(method: string, path: string, p: FormObject): Reply {
    const expand = list(p.expand).filter((v): v is string => typeof v === "string");
    let m: RegExpExecArray | null;
    if (path === "/v1/prices") {
      if (method === "GET") {
        const product = str(p.product);
        const type = str(p.type);
        const lookupKeys = list(p.lookup_keys).filter((v): v is string => typeof v === "string");
        const matching = [...prices.values()].filter(
          (pr) =>
            flag(p.active, pr.active) &&
            (!type || pr.type === type) &&
            (!product || pr.product === product) &&
            (lookupKeys.length === 0 || (typeof pr.lookup_key === "string" && lookupKeys.includes(pr.lookup_key))),
        );
        return listReply(matching, p, path, (pr) => expandPrice(pr, expand, "data."));
      }
      if (method === "POST") return createPrice(p);
    }
    if ((m = /^\/v1\/prices\/([^/]+)$/.exec(path))) {
      const pr = prices.get(m[1]!);
      if (!pr) return o.missing("price", m[1]!);
      if (method === "GET") return { status: 200, body: expandPrice(pr, expand) };
      if (method === "POST") {
        if (str(p.active)) pr.active = str(p.active) === "true";
        if (str(p.nickname) !== undefined) pr.nickname = str(p.nickname) || null;
        if (p.metadata !== undefined) pr.metadata = { ...(pr.metadata as object), ...metadataOf(p.metadata) };
        return { status: 200, body: expandPrice(pr, expand) };
      }
    }
    if (path === "/v1/products") {
      if (method === "GET") {
        const matching = [...products.values()].filter((pd) => flag(p.active, pd.active));
        return listReply(matching, p, path, (pd) => clone(pd));
      }
      if (method === "POST") {
        const name = str(p.name);
        if (!name) return paramMissing("name");
        const pd = o.product({
          id: str(p.id) ?? o.newId("prod"),
          name,
          description: str(p.description) ?? null,
          active: str(p.active) !== "false",
          metadata: metadataOf(p.metadata),
        });
        if (products.has(pd.id))
          return o.stripeError(400, "invalid_request_error", `Product already exists.`, {
            code: "resource_already_exists",
            param: "id",
          });
        products.set(pd.id, pd);
        return { status: 200, body: pd };
      }
    }
    if ((m = /^\/v1\/products\/([^/]+)$/.exec(path))) {
      const pd = products.get(m[1]!);
      if (!pd) return o.missing("product", m[1]!);
      if (method === "GET") return { status: 200, body: pd };
      if (method === "POST") {
        if (str(p.active)) pd.active = str(p.active) === "true";
        if (str(p.name)) pd.name = str(p.name)!;
        if (str(p.description) !== undefined) pd.description = str(p.description) || null;
        if (p.metadata !== undefined) pd.metadata = metadataOf({ ...pd.metadata, ...obj(p.metadata) });
        pd.updated = o.now();
        return { status: 200, body: pd };
      }
    }
    if ((m = /^\/v1\/customers\/([^/]+)$/.exec(path))) {
      const c = customers.get(m[1]!);
      if (!c) {
        return deletedCustomers.has(m[1]!)
          ? { status: 200, body: { id: m[1]!, object: "customer", deleted: true } }
          : o.missing("customer", m[1]!);
      }
      if (method === "GET") return { status: 200, body: c };
      if (method === "DELETE") {
        // "Also immediately cancels any active subscriptions on the customer."
        for (const sub of subscriptions.values()) if (sub.customer === c.id) cancelNow(sub);
        customers.delete(c.id);
        deletedCustomers.add(c.id);
        emit("customer.deleted", c);
        return { status: 200, body: { id: c.id, object: "customer", deleted: true } };
      }
    }
    if (method === "GET" && path === "/v1/customers") {
      const email = str(p.email);
      return listReply(
        [...customers.values()].filter((c) => email === undefined || c.email === email),
        p,
        path,
        (c) => clone(c),
      );
    }
    if (method === "POST" && path === "/v1/customers") {
      const c: o.Customer = {
        id: o.newId("cus"),
        object: "customer",
        created: o.now(),
        email: str(p.email) ?? null,
        name: str(p.name) ?? null,
        metadata: metadataOf(p.metadata),
        livemode: false,
      };
      customers.set(c.id, c);
      emit("customer.created", c);
      return { status: 200, body: c };
    }
    if (method === "POST" && path === "/v1/checkout/sessions") return createSession(p);
    if ((m = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path))) {
      const s = sessions.get(m[1]!);
      if (!s) return o.missing("checkout.session", m[1]!);
      if (method === "GET" && !m[2]) return { status: 200, body: expandSession(s, expand) };
      if (method === "POST" && m[2]) {
        if (s.status !== "open")
          return o.stripeError(
            400,
            "invalid_request_error",
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`,
          );
        Object.assign(s, { status: "expired", url: null });
        emit("checkout.session.expired", s);
        return { status: 200, body: expandSession(s, expand) };
      }
    }
    if ((m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path))) {
      const sub = subscriptions.get(m[1]!);
      if (!sub) return o.missing("subscription", m[1]!);
      if (method === "GET") return { status: 200, body: expandSubscription(sub, expand) };
      if (method === "POST") return updateSubscription(sub, p);
      if (method === "DELETE") {
        if (sub.status === "canceled" || sub.status === "incomplete_expired") {
          return o.stripeError(
            400,
            "invalid_request_error",
            "A canceled subscription can only update its cancellation_details and metadata.",
          );
        }
        cancelNow(sub);
        return { status: 200, body: sub };
      }
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const { reply, session } = portal.createSession(p, customers, baseUrl);
      if (session) portalSessions.set(session.id, session);
      return reply;
    }
    if (path === "/v1/billing_portal/configurations") {
      if (method === "POST") return portal.create(p);
      if (method === "GET") {
        const all = [...portal.configurations.values()].filter(
          (c) => flag(p.active, c.active) && flag(p.is_default, c.is_default),
        );
        return listReply(all, p, path, (c) => clone(c) as unknown as o.Json);
      }
    }
    if ((m = /^\/v1\/billing_portal\/configurations\/([^/]+)$/.exec(path))) {
      const c = portal.configurations.get(m[1]!);
      if (!c) return o.missing("billing_portal.configuration", m[1]!);
      if (method === "GET") return { status: 200, body: c };
      if (method === "POST") return portal.update(c, p);
    }
    if (path === "/v1/webhook_endpoints") {
      if (method === "POST") return createWebhookEndpoint(p);
      if (method === "GET")
        return listReply([...webhookEndpoints.values()], p, path, ({ secret: _secret, ...e }) => clone(e));
    }
    if ((m = /^\/v1\/webhook_endpoints\/([^/]+)$/.exec(path))) {
      const e = webhookEndpoints.get(m[1]!);
      if (!e) return o.missing("webhook_endpoint", m[1]!);
      if (method === "DELETE") {
        webhookEndpoints.delete(e.id);
        return { status: 200, body: { id: e.id, object: "webhook_endpoint", deleted: true } };
      }
    }
    if ((m = /^\/v1\/invoices\/([^/]+)$/.exec(path)) && method === "GET") {
      const inv = invoices.get(m[1]!);
      return inv ? { status: 200, body: inv } : o.missing("invoice", m[1]!);
    }
    if (method === "GET" && path === "/v1/subscriptions") return listSubscriptions(p);
    return o.stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  /** `POST /v1/webhook_endpoints`: the secret is shown once, in this answer. */
  function createWebhookEndpoint(p: FormObject): Reply {
    const url = str(p.url);
    if (!url) return paramMissing("url");
    if (!/^https?:\/\//.test(url))
      return o.stripeError(400, "invalid_request_error", "Invalid URL: must be a valid URL", { param: "url" });
    const enabled = list(p.enabled_events).filter((v): v is string => typeof v === "string");
    if (enabled.length === 0) return paramMissing("enabled_events");
    const e: o.WebhookEndpoint = {
      id: o.newId("we"),
      object: "webhook_endpoint",
      api_version: str(p.api_version) ?? null,
      created: o.now(),
      description: str(p.description) ?? null,
      enabled_events: enabled,
      livemode: false,
      metadata: metadataOf(p.metadata),
      status: "enabled",
      url,
      secret,
    };
    webhookEndpoints.set(e.id, e);
    return { status: 200, body: e };
  }

  /** `GET /v1/subscriptions`: by customer and status (`all`, or one status; default: all but canceled). */
  function listSubscriptions(p: FormObject): Reply {
    const customer = str(p.customer);
    const status = str(p.status);
    const limit = Math.min(Math.max(Number(str(p.limit) ?? 10) || 10, 1), 100);
    let all = [...subscriptions.values()]
      .filter((s) => !customer || s.customer === customer)
      .filter((s) => (status === "all" ? true : status ? s.status === status : s.status !== "canceled"))
      .reverse();
    const after = str(p.starting_after);
    if (after) all = all.slice(all.findIndex((s) => s.id === after) + 1);
    return {
      status: 200,
      body: { object: "list", data: all.slice(0, limit), has_more: all.length > limit, url: "/v1/subscriptions" },
    };
  }

  function respond(res: http.ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, {
      "content-type": "application/json",
      "request-id": o.newId("req"),
      "stripe-version": o.API_VERSION,
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  function api(req: http.IncomingMessage, url: URL, body: string): Reply {
    const auth = req.headers.authorization ?? "";
    if (!/^Bearer sk_(test|live)_\S+$/.test(auth)) {
      return o.stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    }
    const method = req.method ?? "GET";
    const params = method === "POST" ? parseForm(body) : parseForm(url.search.slice(1));
    requests.push({ method, path: url.pathname, params, headers: req.headers });
    tick();
    const key = method === "POST" ? req.headers["idempotency-key"] : undefined;
    const fingerprint = createHash("sha256").update(`${url.pathname}\n${body}`).digest("hex");
    if (typeof key === "string") {
      const seen = idempotency.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return o.stripeError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          );
        }
        return { ...seen.reply, headers: { ...seen.reply.headers, "idempotent-replayed": "true" } };
      }
    }
    // Validation happens before the endpoint runs: its 400 is never saved under the key.
    const refused = refuseUnknown(method, url.pathname, params);
    if (refused) return refused;
    let reply: Reply;
    const failure = injected.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (failure !== -1) {
      const f = injected.splice(failure, 1)[0]!;
      reply = {
        ...o.stripeError(f.status, f.type, f.message, f.code ? { code: f.code } : {}),
        headers: { "stripe-should-retry": "false" },
      };
    } else {
      reply = handle(method, url.pathname, params);
    }
    // Stripe saves the result once the endpoint has started — a 500 included — but not a
    // request refused as invalid (400), for a missing object (404) or unauthenticated (401).
    if (typeof key === "string" && ![400, 401, 404].includes(reply.status))
      idempotency.set(key, { fingerprint, reply });
    return reply;
  }

  // ── hosted checkout page and HTTP test controls ─────────────────────
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  function checkoutPage(s: o.Session): string {
    const pr = prices.get(sessionSubscriptionData.get(s.id)?.price ?? "");
    const amount = pr
      ? `${(pr.unit_amount / 100).toFixed(2)} ${pr.currency.toUpperCase()} / ${pr.recurring?.interval ?? "once"}`
      : "";
    const body =
      s.status === "open"
        ? `<p>${escape(String(products.get(pr?.product ?? "")?.name ?? pr?.nickname ?? pr?.id ?? ""))} — ${escape(amount)}</p>
<form method="post" action="/checkout/${s.id}/pay"><button type="submit">Pay and subscribe</button></form>
${s.cancel_url ? `<p><a href="${escape(s.cancel_url)}">Cancel and go back</a></p>` : ""}`
        : `<p>This checkout session is ${escape(s.status)}.</p>`;
    return `<!doctype html><html><head><meta charset="utf-8"><title>Test checkout</title></head><body><h1>Test checkout</h1>${body}</body></html>`;
  }

  /**
   * The hosted portal, following the session's configuration: GET shows the customer's
   * subscriptions and invoices, POST …/cancel/{sub} cancels (at period end or at once, as
   * configured), POST …/switch/{sub}/{price} moves to another configured price.
   */
  async function portalRoute(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/p\/session\/([^/]+)(?:\/(cancel|switch)\/([^/]+)(?:\/([^/]+))?)?$/.exec(url.pathname);
    if (!m) return false;
    const session = portalSessions.get(m[1]!);
    if (!session) {
      res.writeHead(404, { "content-type": "text/plain" }).end("No such portal session");
      return true;
    }
    const configuration = portal.configurations.get(session.configuration);
    const features = configuration?.features;
    const own = [...subscriptions.values()].filter((s) => s.customer === session.customer);
    if (req.method === "POST" && m[2]) {
      const sub = own.find((s) => s.id === m[3]);
      const live = sub && sub.status !== "canceled" && sub.status !== "incomplete_expired";
      if (live && m[2] === "cancel" && features?.subscription_cancel.enabled) {
        if (features.subscription_cancel.mode === "immediately") cancelNow(sub);
        else scheduleCancel(sub.id, true);
      }
      const item = sub?.items.data[0];
      const allowed = (features?.subscription_update.products ?? []).find((p) => p.product === item?.price.product);
      if (
        live &&
        item &&
        m[2] === "switch" &&
        features?.subscription_update.enabled &&
        allowed?.prices.includes(m[4]!)
      ) {
        updateSubscription(sub, { items: [{ id: item.id, price: m[4]! }] });
      }
      await settled();
      res.writeHead(303, { location: `/p/session/${session.id}` }).end();
      return true;
    }
    const ownInvoices = [...invoices.values()].filter((i) => i.customer === session.customer);
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(portalPage(session, configuration, customers.get(session.customer), own, ownInvoices, prices));
    return true;
  }

  /** Stripe's hosted invoice page: shows what is owed, and "Pay" settles an open invoice. */
  async function invoicePage(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/i\/([^/]+)(\/pay)?$/.exec(url.pathname);
    if (!m) return false;
    const inv = invoices.get(m[1]!);
    if (!inv) {
      res.writeHead(404, { "content-type": "text/plain" }).end("No such invoice");
      return true;
    }
    if (req.method === "POST" && m[2] && inv.status === "open") {
      payInvoice(inv.id);
      await settled();
      res.writeHead(303, { location: `/i/${inv.id}` }).end();
      return true;
    }
    const action =
      inv.status === "open"
        ? `<form method="post" action="/i/${inv.id}/pay"><button type="submit">Pay invoice</button></form>`
        : "";
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(
        `<!doctype html><html><head><meta charset="utf-8"><title>Test invoice</title></head><body><h1>Invoice ${escape(inv.id)}</h1><p>${(inv.amount_due / 100).toFixed(2)} ${escape(inv.currency.toUpperCase())} — <span data-testid="invoice-status">${escape(String(inv.status))}</span></p>${action}</body></html>`,
      );
    return true;
  }

  async function page(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const m = /^\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    if (!m) return false;
    const s = sessions.get(m[1]!);
    if (!s) {
      res.writeHead(404, { "content-type": "text/plain" }).end("No such checkout session");
      return true;
    }
    if (req.method === "POST" && m[2] && s.status === "open") {
      completeCheckout(s.id);
      await settled(); // the webhooks land before the customer is sent back, as they usually do
      res.writeHead(303, { location: s.success_url.replaceAll("{CHECKOUT_SESSION_ID}", s.id) }).end();
      return true;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(checkoutPage(s));
    return true;
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    try {
      let m: RegExpExecArray | null;
      if (req.method === "GET" && url.pathname === "/_fake/events") return reply(200, { data: events, deliveries });
      if (req.method === "POST" && (m = /^\/_fake\/checkout\/([^/]+)\/complete$/.exec(url.pathname))) {
        const r = completeCheckout(m[1]!);
        await settled();
        return reply(200, r);
      }
      if (req.method === "POST" && url.pathname === "/_fake/clock/advance") {
        const r = advanceClock(Number(url.searchParams.get("seconds") ?? 0));
        await settled();
        return reply(200, { events: r });
      }
      if (req.method === "POST" && (m = /^\/_fake\/customers\/([^/]+)\/payment-outcome$/.exec(url.pathname))) {
        const outcome = url.searchParams.get("outcome");
        if (outcome !== "succeed" && outcome !== "fail" && outcome !== "requires_action")
          return reply(400, { error: "outcome must be succeed, fail or requires_action" });
        paymentOutcomes.set(m[1]!, outcome);
        return reply(200, { customer: m[1], outcome });
      }
      if (req.method === "POST" && (m = /^\/_fake\/subscriptions\/([^/]+)\/renew$/.exec(url.pathname))) {
        const r = renew(m[1]!, url.searchParams.get("paid") !== "false");
        await settled();
        return reply(200, r);
      }
      reply(404, { error: "unknown control" });
    } catch (err) {
      reply(400, { error: String(err) });
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = await readBody(req);
      if (url.pathname.startsWith("/v1/")) return respond(res, api(req, url, body));
      if (url.pathname.startsWith("/_fake/")) return control(req, res, url);
      if (await page(req, res, url)) return;
      if (await portalRoute(req, res, url)) return;
      if (await invoicePage(req, res, url)) return;
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    })().catch((err) => {
      if (!res.headersSent) respond(res, o.stripeError(500, "api_error", `fake stripe: ${String(err)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = queue;
      await current;
    } while (current !== queue);
  }

  return {
    url: baseUrl,
    async close(): Promise<void> {
      await settled().catch(() => undefined);
      o.clock.offsetSeconds = 0;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    completeCheckout,
    renew,
    scheduleCancel,
    payInvoice,
    advanceClock,
    /** How the customer's next charges go (default: they succeed). */
    setPaymentOutcome(customerId: string, outcome: PaymentOutcome) {
      paymentOutcomes.set(customerId, outcome);
    },
    /** The account's default API version (what events use while no endpoint names its own). */
    setWebhookApiVersion(version: string) {
      accountApiVersion = version;
    },
    invoice: (id: string) => invoices.get(id),
    /** The payload an event is delivered with, in `version` (default: the endpoint's). */
    render: (event: StripeEvent, version?: string) => ({
      payload: JSON.stringify(render(event, version ?? endpointApiVersion()), null, 2),
    }),
    portalConfigurations: () => [...portal.configurations.values()],
    webhookEndpoints: () => [...webhookEndpoints.values()],
    deliver,
    settled,
    signatureHeader: (payload: string, timestamp?: number) => signatureHeader(payload, secret, timestamp),
    setAutoDeliver(on: boolean) {
      autoDeliver = on;
    },
    addPrice(fields: Partial<o.Price> & { id: string }): o.Price {
      const p = o.price(fields);
      prices.set(p.id, p);
      return p;
    },
    addProduct(fields: Partial<o.Product> & { id: string; name: string }): o.Product {
      const p = o.product(fields);
      products.set(p.id, p);
      return p;
    },
    product: (id: string) => products.get(id),
    price: (id: string) => prices.get(id),
    /**
     * The next matching request answers with this Stripe error (no SDK retry). Like a failure
     * inside Stripe, a 5xx (or 402) is saved under the request's idempotency key and replayed.
     */
    failNext(
      method: string,
      path: RegExp,
      status = 500,
      type = "api_error",
      message = "Injected failure",
      code?: string,
    ) {
      injected.push({ method, path, status, type, message, code });
    },
    events: () => events,
    deliveries: () => deliveries,
    requests: () => requests,
    session: (id: string) => sessions.get(id),
    subscription: (id: string) => subscriptions.get(id),
    customers: () => [...customers.values()],
    portalSession: (id: string) => portalSessions.get(id),
  };
}

// Standalone, for offline demos with the seed catalogue: tsx e2e/fakes/stripe/server.ts --port 5491 [--app http://localhost:3000]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg("--port") ?? 5491);
  const fake = await start(Number.isInteger(port) ? port : 5491, {
    appBaseUrl: arg("--app") ?? "http://localhost:3000",
    stripeWebhookSecret: arg("--webhook-secret") ?? "whsec_local",
  });
  console.log(`[fake-stripe] listening on ${fake.url} (STRIPE_API_BASE_URL), webhooks signed with whsec_local`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
