/**
 * Stripe's customer portal (payment methods, invoices, cancelling): a short-lived portal session
 * for the caller's own customer, created on demand exactly as at checkout. Changes made there
 * reach us through the webhook like any other subscription change.
 */
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { ensureStripeCustomer } from "./customer";
import { callStripe, getStripe } from "./stripe-client";

export const billingPortalResponseSchema = z.object({
  url: z
    .url()
    .meta({ description: "Stripe's hosted customer portal; send the user there. It returns to the dashboard." }),
});
export type BillingPortalResponse = z.infer<typeof billingPortalResponseSchema>;

/** Where the portal's "return" link goes: the dashboard of the configured public URL, or of this request's origin. */
export function portalReturnUrl(requestOrigin: string): string {
  return `${getEnv().appBaseUrl ?? requestOrigin}/dashboard`;
}

export async function openBillingPortal(userId: string, requestOrigin: string): Promise<BillingPortalResponse> {
  const stripe = getStripe();
  const customer = await ensureStripeCustomer(userId);
  const session = await callStripe("billing portal session create", () =>
    stripe.billingPortal.sessions.create({ customer, return_url: portalReturnUrl(requestOrigin) }),
  );
  return { url: session.url };
}
