/**
 * A price can be subscribed to when Stripe knows it, it is active and recurring, and it belongs
 * to a micro-agent of the catalogue (an active product naming the workflow it unlocks). Read
 * live from Stripe, not from the cached catalogue, so a plan archived a moment ago is refused.
 */
import type Stripe from "stripe";
import { validationError } from "@/lib/http";
import { unlockOf, type Unlock } from "./catalogue";
import { isMissingResource, toStripeGatewayError } from "./stripe-client";

const priceIssue = (message: string) => validationError([{ path: "price_id", message }]);

export async function requireCataloguePrice(
  stripe: Stripe,
  priceId: string,
): Promise<{ price: Stripe.Price; unlock: Unlock }> {
  let price: Stripe.Price;
  try {
    price = await stripe.prices.retrieve(priceId, { expand: ["product"] });
  } catch (err) {
    if (isMissingResource(err)) throw priceIssue("No such price");
    throw toStripeGatewayError("price retrieve", err);
  }
  if (!price.active) throw priceIssue("This price is no longer available");
  if (price.type !== "recurring" || !price.recurring)
    throw priceIssue("This price is not a recurring subscription price");
  const unlock = unlockOf(price);
  if (!unlock) throw priceIssue("This price is not part of the micro-agent catalogue");
  const product = price.product as Stripe.Product;
  if (!product.active) throw priceIssue(`${product.name} is no longer offered`);
  return { price, unlock };
}
