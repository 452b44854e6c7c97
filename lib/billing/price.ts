/** A price can be subscribed to when Stripe knows it, it is active, and it recurs. */
import type Stripe from "stripe";
import { validationError } from "@/lib/http";
import { isMissingResource, toStripeGatewayError } from "./stripe-client";

const priceIssue = (message: string) => validationError([{ path: "price_id", message }]);

export async function requireSubscribablePrice(stripe: Stripe, priceId: string): Promise<Stripe.Price> {
  let price: Stripe.Price;
  try {
    price = await stripe.prices.retrieve(priceId);
  } catch (err) {
    if (isMissingResource(err)) throw priceIssue("No such price");
    throw toStripeGatewayError("price retrieve", err);
  }
  if (!price.active) throw priceIssue("This price is no longer available");
  if (price.type !== "recurring" || !price.recurring)
    throw priceIssue("This price is not a recurring subscription price");
  return price;
}
