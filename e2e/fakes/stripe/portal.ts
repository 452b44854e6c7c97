/**
 * The fake's customer portal, as strict as Stripe's:
 *
 * - `POST/GET /v1/billing_portal/configurations[/{id}]`: configurations made through the API
 *   (never the account default; that one only exists once someone saves the portal settings in
 *   the dashboard, which the fake models with the `portalDefaultConfiguration` option). A plan
 *   switch list must name existing products with active recurring prices of those products.
 * - `POST /v1/billing_portal/sessions`: refused on an account with no saved default unless a
 *   `configuration` is named, and refused for an inactive or unknown configuration.
 * - The hosted page follows the session's configuration: cancel (at period end or at once),
 *   switch among the configured prices, update the payment method, see invoices. Changes
 *   reach the app through the webhook, as a real portal change does.
 */
import type Stripe from "stripe";
import { list, metadataOf, obj, str, type FormObject, type FormValue } from "./form";
import * as o from "./objects";

export type PortalSession = Pick<
  Stripe.BillingPortal.Session,
  "id" | "object" | "created" | "flow" | "livemode" | "locale" | "on_behalf_of" | "return_url" | "url"
> & { customer: string; configuration: string };

const bool = (v: FormValue | undefined, fallback = false) => (str(v) === undefined ? fallback : str(v) === "true");

export const NO_DEFAULT_CONFIGURATION =
  "You can’t create a portal session in test mode until you save your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.";

type Catalogue = { products: Map<string, o.Product>; prices: Map<string, o.Price> };

/** `features` form → the configuration's features, or Stripe's 400 for an invalid plan list. */
function featuresOf(
  f: FormObject,
  base: Stripe.BillingPortal.Configuration.Features | undefined,
  catalogue: Catalogue,
): Stripe.BillingPortal.Configuration.Features | o.Reply {
  const cancel = obj(f.subscription_cancel);
  const update = obj(f.subscription_update);
  const products: Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product[] = [];
  for (const [i, raw] of list(update.products).entries()) {
    const entry = obj(raw);
    const product = str(entry.product);
    const param = `features[subscription_update][products][${i}]`;
    if (!product || !catalogue.products.has(product))
      return o.stripeError(400, "invalid_request_error", `No such product: '${product ?? ""}'`, {
        code: "resource_missing",
        param: `${param}[product]`,
      });
    const prices = list(entry.prices).filter((v): v is string => typeof v === "string");
    for (const id of prices) {
      const pr = catalogue.prices.get(id);
      if (!pr || pr.product !== product || !pr.active || pr.type !== "recurring")
        return o.stripeError(
          400,
          "invalid_request_error",
          `The price ${id} is not an active recurring price of product ${product}.`,
          { param: `${param}[prices]` },
        );
    }
    products.push({ product, prices, adjustable_quantity: { enabled: false, maximum: null, minimum: 1 } });
  }
  const updateEnabled =
    update.enabled === undefined ? (base?.subscription_update.enabled ?? false) : bool(update.enabled);
  const productList = update.products !== undefined ? products : (base?.subscription_update.products ?? []);
  if (updateEnabled && (productList?.length ?? 0) === 0)
    return o.stripeError(
      400,
      "invalid_request_error",
      "Missing required param: features[subscription_update][products].",
      { code: "parameter_missing", param: "features[subscription_update][products]" },
    );
  return {
    customer_update: {
      enabled: bool(obj(f.customer_update).enabled, base?.customer_update.enabled ?? false),
      allowed_updates: base?.customer_update.allowed_updates ?? [],
    },
    invoice_history: { enabled: bool(obj(f.invoice_history).enabled, base?.invoice_history.enabled ?? false) },
    payment_method_update: {
      enabled: bool(obj(f.payment_method_update).enabled, base?.payment_method_update.enabled ?? false),
      payment_method_configuration: null,
    },
    subscription_cancel: {
      enabled: bool(cancel.enabled, base?.subscription_cancel.enabled ?? false),
      mode: str(cancel.mode) ?? base?.subscription_cancel.mode ?? "at_period_end",
      proration_behavior: str(cancel.proration_behavior) ?? base?.subscription_cancel.proration_behavior ?? "none",
      cancellation_reason: base?.subscription_cancel.cancellation_reason ?? {
        enabled: false,
        feedback_options: null,
        options: [],
      },
    },
    subscription_pause: { enabled: false, duration: { type: "indefinite", interval_options: [] } },
    subscription_update: {
      enabled: updateEnabled,
      products: productList,
      default_allowed_updates: list(update.default_allowed_updates).filter((v): v is string => typeof v === "string"),
      proration_behavior: str(update.proration_behavior) ?? base?.subscription_update.proration_behavior ?? "none",
      billing_cycle_anchor: null,
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: "end_trial",
    },
  };
}

export function portalConfigurations(catalogue: Catalogue, options: { defaultSaved: boolean }) {
  const configurations = new Map<string, o.PortalConfiguration>();
  if (options.defaultSaved) {
    const features = featuresOf(
      { subscription_cancel: { enabled: "true" }, invoice_history: { enabled: "true" } },
      undefined,
      catalogue,
    ) as Stripe.BillingPortal.Configuration.Features;
    configurations.set("bpc_dashboard_default", build("bpc_dashboard_default", features, {}, true));
  }

  function build(
    id: string,
    features: Stripe.BillingPortal.Configuration.Features,
    p: FormObject,
    isDefault: boolean,
  ): o.PortalConfiguration {
    return {
      id,
      object: "billing_portal.configuration",
      active: true,
      application: null,
      business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
      created: o.now(),
      default_return_url: str(p.default_return_url) ?? null,
      features,
      is_default: isDefault,
      livemode: false,
      login_page: { enabled: false, url: null },
      metadata: metadataOf(p.metadata),
      name: str(p.name) ?? null,
      updated: o.now(),
    };
  }

  function create(p: FormObject): o.Reply {
    if (p.features === undefined)
      return o.stripeError(400, "invalid_request_error", "Missing required param: features.", {
        code: "parameter_missing",
        param: "features",
      });
    const features = featuresOf(obj(p.features), undefined, catalogue);
    if ("status" in features) return features;
    const c = build(o.newId("bpc"), features, p, false);
    configurations.set(c.id, c);
    return { status: 200, body: c };
  }

  function update(c: o.PortalConfiguration, p: FormObject): o.Reply {
    if (p.features !== undefined) {
      const features = featuresOf(obj(p.features), c.features, catalogue);
      if ("status" in features) return features;
      c.features = features;
    }
    if (str(p.active) !== undefined) c.active = str(p.active) === "true";
    if (p.metadata !== undefined) c.metadata = metadataOf({ ...c.metadata, ...obj(p.metadata) });
    if (str(p.default_return_url) !== undefined) c.default_return_url = str(p.default_return_url) || null;
    c.updated = o.now();
    return { status: 200, body: c };
  }

  /** `POST /v1/billing_portal/sessions`. */
  function createSession(
    p: FormObject,
    customers: Map<string, o.Customer>,
    baseUrl: string,
  ): { reply: o.Reply; session?: PortalSession } {
    const customer = str(p.customer);
    if (!customer)
      return {
        reply: o.stripeError(400, "invalid_request_error", "Missing required param: customer.", {
          code: "parameter_missing",
          param: "customer",
        }),
      };
    if (!customers.has(customer))
      return {
        reply: o.stripeError(400, "invalid_request_error", `No such customer: '${customer}'`, {
          code: "resource_missing",
          param: "customer",
        }),
      };
    const returnUrl = str(p.return_url) ?? null;
    if (returnUrl !== null && !/^https?:\/\//.test(returnUrl))
      return {
        reply: o.stripeError(400, "invalid_request_error", "Not a valid URL", {
          code: "url_invalid",
          param: "return_url",
        }),
      };
    const named = str(p.configuration);
    let configuration: o.PortalConfiguration | undefined;
    if (named) {
      configuration = configurations.get(named);
      if (!configuration)
        return {
          reply: o.stripeError(400, "invalid_request_error", `No such configuration: '${named}'`, {
            code: "resource_missing",
            param: "configuration",
          }),
        };
      if (!configuration.active)
        return {
          reply: o.stripeError(
            400,
            "invalid_request_error",
            `The configuration '${named}' is inactive; use an active configuration.`,
            { param: "configuration" },
          ),
        };
    } else {
      configuration = [...configurations.values()].find((c) => c.is_default && c.active);
      if (!configuration) return { reply: o.stripeError(400, "invalid_request_error", NO_DEFAULT_CONFIGURATION) };
    }
    const id = o.newId("bps");
    const session: PortalSession = {
      id,
      object: "billing_portal.session",
      configuration: configuration.id,
      created: o.now(),
      customer,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: returnUrl,
      url: `${baseUrl}/p/session/${id}`,
    };
    return { reply: { status: 200, body: session }, session };
  }

  return { configurations, create, update, createSession };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function portalPage(
  session: PortalSession,
  configuration: o.PortalConfiguration | undefined,
  customer: o.Customer | undefined,
  subs: o.Subscription[],
  invoices: o.Invoice[],
  prices: Map<string, o.Price>,
): string {
  const f = configuration?.features;
  const rows = subs
    .map((sub) => {
      const item = sub.items.data[0];
      const name = String(item?.price.nickname ?? item?.price.id ?? sub.id);
      const state = sub.cancel_at_period_end ? `${sub.status}, ends at period end` : sub.status;
      const live = sub.status !== "canceled" && sub.status !== "incomplete_expired";
      const cancel =
        live && f?.subscription_cancel.enabled && !sub.cancel_at_period_end
          ? `<form method="post" action="/p/session/${session.id}/cancel/${sub.id}"><button type="submit">Cancel plan</button></form>`
          : "";
      const allowed = f?.subscription_update.enabled
        ? ((f.subscription_update.products ?? []).find((p) => p.product === item?.price.product)?.prices ?? [])
        : [];
      const switches = live
        ? allowed
            .filter((id) => id !== item?.price.id)
            .map((id) => {
              const label = prices.get(id)?.nickname ?? id;
              return `<form method="post" action="/p/session/${session.id}/switch/${sub.id}/${escape(id)}"><button type="submit">Switch to ${escape(label)}</button></form>`;
            })
            .join("")
        : "";
      return `<li data-subscription="${escape(sub.id)}"><span>${escape(name)}</span> — <span>${escape(state)}</span> ${cancel}${switches}</li>`;
    })
    .join("\n");
  const payment = f?.payment_method_update.enabled ? `<p><button type="button">Update payment method</button></p>` : "";
  const history = f?.invoice_history.enabled
    ? `<h2>Invoices</h2><ul aria-label="Invoices">${invoices
        .map(
          (i) =>
            `<li><a href="${escape(i.hosted_invoice_url ?? "")}">${escape(i.id)}</a> — ${escape(String(i.status))}</li>`,
        )
        .join("")}</ul>`
    : "";
  const back = session.return_url ? `<p><a href="${escape(session.return_url)}">Return to the app</a></p>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test billing portal</title></head><body>
<h1>Test billing portal</h1>
<p>Customer: ${escape(String(customer?.email ?? session.customer))}</p>
<h2>Subscriptions</h2>
${rows ? `<ul>${rows}</ul>` : "<p>No subscriptions.</p>"}
${payment}
${history}
${back}
</body></html>`;
}
