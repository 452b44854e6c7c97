/**
 * Stripe's customer portal (payment methods, invoices, switching plans, cancelling at the end
 * of the period): a short-lived portal session for the caller's own customer, created on demand
 * exactly as at checkout, always naming the app's own portal configuration
 * (portal-configuration.ts). Changes made there reach us through the webhook like any other
 * subscription change.
 */
import "server-only";
import { z } from "zod";
import { getCatalogue } from "./catalogue";
import { ensureStripeCustomer } from "./customer";
import { portalConfigurationId } from "./portal-configuration";
import { callStripe, getStripe, isStripeError, toStripeGatewayError } from "./stripe-client";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

export const billingPortalResponseSchema = z.object({
  url: z
    .url()
    .meta({ description: "Stripe's hosted customer portal; send the user there. It returns to the dashboard." }),
});
export type BillingPortalResponse = z.infer<typeof billingPortalResponseSchema>;

/** Where the portal's "return" link goes: the dashboard at `baseUrl` (lib/http linkBaseUrl). */
export function portalReturnUrl(baseUrl: string): string {
  return `${baseUrl}/dashboard`;
}

/** Stripe refused the configuration we named (deactivated, or unknown to this account). */
const isRefusedConfiguration = (err: unknown) => isStripeError(err) && err.param === "configuration";

export async function openBillingPortal(userId: string, baseUrl: string): Promise<BillingPortalResponse> {
  const stripe = getStripe();
  const customer = await ensureStripeCustomer(userId);
  const { catalogue } = await getCatalogue();
  const open = async (refresh: boolean) => {
    const configuration = await portalConfigurationId(stripe, catalogue, { refresh });
    return stripe.billingPortal.sessions.create({
      customer,
      configuration,
      return_url: portalReturnUrl(baseUrl),
    });
  };
  let session;
  try {
    session = await open(false);
  } catch (err) {
    if (!isRefusedConfiguration(err)) throw toStripeGatewayError("billing portal session create", err);
    log.warn({ err }, "Stripe refused the portal configuration; making a new one");
    session = await callStripe("billing portal session create", () => open(true));
  }
  return { url: session.url };
}
