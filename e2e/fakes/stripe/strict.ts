/**
 * Stripe refuses what it does not know: a top-level parameter an endpoint does not take
 * (`parameter_unknown`) and an `expand` path that is not expandable there. The fake keeps the
 * same lists for the endpoints it serves, so a typo in the app's request fails a test instead
 * of being silently ignored. Nested keys are not checked (the SDK's param types cover those).
 */
import type { FormObject } from "./form";
import { list } from "./form";
import { stripeError, type Reply } from "./objects";

type Rule = { method: string; path: RegExp; params: readonly string[]; expand?: readonly string[] };

const PAGING = ["limit", "starting_after", "ending_before"] as const;

const RULES: readonly Rule[] = [
  {
    method: "GET",
    path: /^\/v1\/prices$/,
    params: ["active", "type", "product", "lookup_keys", "currency", "recurring", ...PAGING],
    expand: ["data.product"],
  },
  {
    method: "POST",
    path: /^\/v1\/prices$/,
    params: [
      "product",
      "currency",
      "unit_amount",
      "recurring",
      "lookup_key",
      "nickname",
      "metadata",
      "active",
      "tax_behavior",
      "transfer_lookup_key",
    ],
    expand: ["product"],
  },
  { method: "GET", path: /^\/v1\/prices\/[^/]+$/, params: [], expand: ["product"] },
  {
    method: "POST",
    path: /^\/v1\/prices\/[^/]+$/,
    params: ["active", "nickname", "metadata", "lookup_key", "tax_behavior"],
    expand: ["product"],
  },
  { method: "GET", path: /^\/v1\/products$/, params: ["active", "ids", ...PAGING] },
  {
    method: "POST",
    path: /^\/v1\/products$/,
    params: ["id", "name", "description", "active", "metadata", "default_price_data"],
  },
  { method: "GET", path: /^\/v1\/products\/[^/]+$/, params: [] },
  {
    method: "POST",
    path: /^\/v1\/products\/[^/]+$/,
    params: ["name", "description", "active", "metadata", "default_price"],
  },
  { method: "GET", path: /^\/v1\/customers$/, params: ["email", "created", ...PAGING] },
  { method: "POST", path: /^\/v1\/customers$/, params: ["email", "name", "description", "phone", "metadata"] },
  { method: "GET", path: /^\/v1\/customers\/[^/]+$/, params: [] },
  { method: "DELETE", path: /^\/v1\/customers\/[^/]+$/, params: [] },
  {
    method: "POST",
    path: /^\/v1\/checkout\/sessions$/,
    params: [
      "mode",
      "customer",
      "customer_email",
      "client_reference_id",
      "line_items",
      "metadata",
      "subscription_data",
      "success_url",
      "cancel_url",
      "allow_promotion_codes",
      "ui_mode",
      "expires_at",
      "locale",
      "automatic_tax",
      "billing_address_collection",
      "customer_update",
    ],
    expand: ["subscription", "customer", "invoice"],
  },
  {
    method: "GET",
    path: /^\/v1\/checkout\/sessions\/[^/]+$/,
    params: [],
    expand: ["subscription", "customer", "invoice"],
  },
  {
    method: "POST",
    path: /^\/v1\/checkout\/sessions\/[^/]+\/expire$/,
    params: [],
    expand: ["subscription", "customer", "invoice"],
  },
  {
    method: "GET",
    path: /^\/v1\/subscriptions$/,
    params: ["customer", "status", "price", ...PAGING],
    expand: ["data.latest_invoice"],
  },
  {
    method: "GET",
    path: /^\/v1\/subscriptions\/[^/]+$/,
    params: [],
    expand: ["items.data.price.product", "latest_invoice", "customer"],
  },
  {
    method: "POST",
    path: /^\/v1\/subscriptions\/[^/]+$/,
    params: [
      "items",
      "proration_behavior",
      "cancel_at_period_end",
      "cancel_at",
      "metadata",
      "payment_behavior",
      "default_payment_method",
    ],
    expand: ["items.data.price.product", "latest_invoice", "customer"],
  },
  {
    method: "DELETE",
    path: /^\/v1\/subscriptions\/[^/]+$/,
    params: ["invoice_now", "prorate", "cancellation_details"],
    expand: ["latest_invoice"],
  },
  { method: "GET", path: /^\/v1\/invoices\/[^/]+$/, params: [] },
  {
    method: "POST",
    path: /^\/v1\/billing_portal\/sessions$/,
    params: ["customer", "return_url", "configuration", "flow_data", "locale", "on_behalf_of"],
    expand: ["configuration"],
  },
  { method: "GET", path: /^\/v1\/billing_portal\/configurations$/, params: ["active", "is_default", ...PAGING] },
  {
    method: "POST",
    path: /^\/v1\/billing_portal\/configurations$/,
    params: ["features", "business_profile", "default_return_url", "metadata", "name", "login_page"],
  },
  { method: "GET", path: /^\/v1\/billing_portal\/configurations\/[^/]+$/, params: [] },
  {
    method: "POST",
    path: /^\/v1\/billing_portal\/configurations\/[^/]+$/,
    params: ["features", "business_profile", "default_return_url", "metadata", "name", "login_page", "active"],
  },
  { method: "GET", path: /^\/v1\/webhook_endpoints$/, params: [...PAGING] },
  {
    method: "POST",
    path: /^\/v1\/webhook_endpoints$/,
    params: ["url", "enabled_events", "api_version", "description", "metadata", "connect"],
  },
  { method: "DELETE", path: /^\/v1\/webhook_endpoints\/[^/]+$/, params: [] },
];

/** Stripe's 400 for an unknown parameter or expand path, or null when the request is acceptable. */
export function refuseUnknown(method: string, path: string, params: FormObject): Reply | null {
  const rule = RULES.find((r) => r.method === method && r.path.test(path));
  if (!rule) return null; // an unknown endpoint answers its own 404
  for (const name of Object.keys(params)) {
    if (name === "expand" || rule.params.includes(name)) continue;
    return stripeError(400, "invalid_request_error", `Received unknown parameter: ${name}`, {
      code: "parameter_unknown",
      param: name,
    });
  }
  for (const [i, value] of list(params.expand).entries()) {
    if (typeof value === "string" && rule.expand?.includes(value)) continue;
    return stripeError(400, "invalid_request_error", `This property cannot be expanded (${String(value)}).`, {
      param: `expand[${i}]`,
    });
  }
  return null;
}
