/**
 * The fake's customer portal: `POST /v1/billing_portal/sessions` answers a
 * `billing_portal.session` object as Stripe does (customer required and known, `return_url`
 * echoed, a hosted `url`), and that URL serves a small page listing the customer's
 * subscriptions, with a button that cancels one at the end of its period (the change reaches
 * the app through the webhook, as a real portal change does) and a link back to `return_url`.
 */
import { str, type FormObject } from "./form";
import * as o from "./objects";

export type PortalSession = o.Json & {
  id: string;
  object: "billing_portal.session";
  customer: string;
  return_url: string | null;
  url: string;
};

type Reply = { status: number; body: unknown };

export function createPortalSession(
  p: FormObject,
  customers: Map<string, o.Customer>,
  baseUrl: string,
): { reply: Reply; session?: PortalSession } {
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
  const id = o.newId("bps");
  const session: PortalSession = {
    id,
    object: "billing_portal.session",
    configuration: "bpc_fake_default",
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

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function portalPage(session: PortalSession, customer: o.Customer | undefined, subs: o.Subscription[]): string {
  const rows = subs
    .map((sub) => {
      const item = sub.items.data[0];
      const name = String(item?.price.nickname ?? item?.price.id ?? sub.id);
      const state = sub.cancel_at_period_end ? `${sub.status}, ends at period end` : sub.status;
      const cancel =
        sub.status !== "canceled" && !sub.cancel_at_period_end
          ? `<form method="post" action="/p/session/${session.id}/cancel/${sub.id}"><button type="submit">Cancel plan</button></form>`
          : "";
      return `<li data-subscription="${escape(sub.id)}"><span>${escape(name)}</span> — <span>${escape(state)}</span> ${cancel}</li>`;
    })
    .join("\n");
  const back = session.return_url ? `<p><a href="${escape(session.return_url)}">Return to the app</a></p>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test billing portal</title></head><body>
<h1>Test billing portal</h1>
<p>Customer: ${escape(String(customer?.email ?? session.customer))}</p>
<h2>Subscriptions</h2>
${rows ? `<ul>${rows}</ul>` : "<p>No subscriptions.</p>"}
${back}
</body></html>`;
}
