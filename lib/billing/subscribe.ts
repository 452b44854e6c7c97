/**
 * Starting a subscription: catalogue check (the price and the workflow belong to the same
 * micro-agent) → the user's Stripe customer → Checkout session → the `pending` micro-agent row. The row id is chosen before the session is created so it can
 * travel in the session's and the subscription's metadata, and the row is inserted only once
 * Stripe has answered: a Stripe failure leaves nothing behind. (The customer cannot complete
 * the session before we answer with its URL, so the webhook always finds the row.)
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { microAgents, type MicroAgent } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { badGateway, validationError } from "@/lib/http";
import { ensureStripeCustomer, isMissingCustomer, replaceStripeCustomer } from "./customer";
import { microAgentResponseSchema } from "./micro-agents";
import type { SubscribeInput } from "./subscribe-input";
import { requireCataloguePrice } from "./price";
import { getStripe, toStripeGatewayError } from "./stripe-client";

/** The 201 answer of `POST /api/microagents/subscribe`: the contract's two fields plus the new row. */
export const subscribeResponseSchema = z.object({
  checkout_url: z.url().meta({ description: "Stripe Checkout page to send the user to." }),
  micro_agent_id: z.uuid(),
  micro_agent: microAgentResponseSchema,
});

const SESSION_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

/** Success/cancel URLs from config; without config, the app's own dashboard pages at `baseUrl` (lib/http linkBaseUrl). */
export function checkoutUrls(baseUrl: string): { successUrl: string; cancelUrl: string } {
  const env = getEnv();
  const base = baseUrl;
  let successUrl = env.stripe.successUrl ?? `${base}/dashboard/success?session_id=${SESSION_PLACEHOLDER}`;
  if (!successUrl.includes(SESSION_PLACEHOLDER)) {
    successUrl += `${successUrl.includes("?") ? "&" : "?"}session_id=${SESSION_PLACEHOLDER}`;
  }
  return { successUrl, cancelUrl: env.stripe.cancelUrl ?? `${base}/dashboard/cancelled` };
}

export async function startSubscription(
  userId: string,
  input: SubscribeInput,
  baseUrl: string,
): Promise<{ checkoutUrl: string; microAgent: MicroAgent }> {
  const stripe = getStripe();
  const { unlock } = await requireCataloguePrice(stripe, input.price_id);
  if (unlock.workflowId !== input.workflow_id) {
    throw validationError(
      [
        {
          path: "workflow_id",
          message: `price ${input.price_id} is a plan of “${unlock.productName}”, which unlocks ${unlock.workflowId}, not ${input.workflow_id}`,
        },
      ],
      "The workflow and the price belong to different micro-agents",
    );
  }
  const { successUrl, cancelUrl } = checkoutUrls(baseUrl);

  const createSession = (customerId: string, microAgentId: string) => {
    const metadata = { micro_agent_id: microAgentId, user_id: userId, workflow_id: unlock.workflowId };
    return stripe.checkout.sessions.create(
      {
        mode: "subscription",
        customer: customerId,
        client_reference_id: userId,
        line_items: [{ price: input.price_id, quantity: 1 }],
        metadata,
        subscription_data: { metadata },
        success_url: successUrl,
        cancel_url: cancelUrl,
      },
      { idempotencyKey: `checkout-for-micro-agent-${microAgentId}` },
    );
  };

  let customerId = await ensureStripeCustomer(userId);
  let microAgentId = randomUUID();
  let session;
  try {
    session = await createSession(customerId, microAgentId);
  } catch (err) {
    if (!isMissingCustomer(err)) throw toStripeGatewayError("checkout session create", err);
    // The customer was deleted at Stripe: replace it and start over with a fresh id (and key).
    customerId = await replaceStripeCustomer(userId, customerId);
    microAgentId = randomUUID();
    session = await createSession(customerId, microAgentId).catch((retryErr: unknown) => {
      throw toStripeGatewayError("checkout session create", retryErr);
    });
  }
  if (!session.url) throw badGateway("Stripe error", "stripe_error"); // a hosted session always has one

  const db = await getDb();
  const [row] = await db
    .insert(microAgents)
    .values({
      id: microAgentId,
      userId,
      agentName: input.agent_name ?? unlock.productName,
      workflowId: unlock.workflowId,
      stripePriceId: input.price_id,
      stripeCheckoutSessionId: session.id,
      status: "pending",
    })
    .returning();
  if (!row) throw new Error("micro-agent insert returned nothing");
  return { checkoutUrl: session.url, microAgent: row };
}
