/**
 * Starting a subscription: price check → the user's Stripe customer → Checkout session →
 * the `pending` micro-agent row. The row id is chosen before the session is created so it can
 * travel in the session's and the subscription's metadata, and the row is inserted only once
 * Stripe has answered: a Stripe failure leaves nothing behind. (The customer cannot complete
 * the session before we answer with its URL, so the webhook always finds the row.)
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { microAgents, type MicroAgent } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { badGateway } from "@/lib/http";
import { ensureStripeCustomer } from "./customer";
import { microAgentResponseSchema } from "./micro-agents";
import { requireSubscribablePrice } from "./price";
import { callStripe, getStripe } from "./stripe-client";

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters");

export const subscribeBody = z.object({
  agent_name: text(100),
  workflow_id: text(200),
  // Stripe ids are word characters; anything else could never name a price.
  price_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, "must be a Stripe price id such as price_123"),
});
export type SubscribeInput = z.infer<typeof subscribeBody>;

/** The 201 answer of `POST /api/microagents/subscribe`: the contract's two fields plus the new row. */
export const subscribeResponseSchema = z.object({
  checkout_url: z.url().meta({ description: "Stripe Checkout page to send the user to." }),
  micro_agent_id: z.uuid(),
  micro_agent: microAgentResponseSchema,
});

const SESSION_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

/** Success/cancel URLs from config; without config, the app's own dashboard pages. */
export function checkoutUrls(requestOrigin: string): { successUrl: string; cancelUrl: string } {
  const env = getEnv();
  const base = env.publicBaseUrl ?? requestOrigin;
  let successUrl = env.stripe.successUrl ?? `${base}/dashboard/success?session_id=${SESSION_PLACEHOLDER}`;
  if (!successUrl.includes(SESSION_PLACEHOLDER)) {
    successUrl += `${successUrl.includes("?") ? "&" : "?"}session_id=${SESSION_PLACEHOLDER}`;
  }
  return { successUrl, cancelUrl: env.stripe.cancelUrl ?? `${base}/dashboard/cancelled` };
}

export async function startSubscription(
  userId: string,
  input: SubscribeInput,
  requestOrigin: string,
): Promise<{ checkoutUrl: string; microAgent: MicroAgent }> {
  const stripe = getStripe();
  await requireSubscribablePrice(stripe, input.price_id);
  const customerId = await ensureStripeCustomer(userId);
  const microAgentId = randomUUID();
  const metadata = { micro_agent_id: microAgentId, user_id: userId, workflow_id: input.workflow_id };
  const { successUrl, cancelUrl } = checkoutUrls(requestOrigin);

  const session = await callStripe("checkout session create", () =>
    stripe.checkout.sessions.create(
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
    ),
  );
  if (!session.url) throw badGateway("Stripe error", "stripe_error"); // a hosted session always has one

  const db = await getDb();
  const [row] = await db
    .insert(microAgents)
    .values({
      id: microAgentId,
      userId,
      agentName: input.agent_name,
      workflowId: input.workflow_id,
      stripePriceId: input.price_id,
      stripeCheckoutSessionId: session.id,
      status: "pending",
    })
    .returning();
  if (!row) throw new Error("micro-agent insert returned nothing");
  return { checkoutUrl: session.url, microAgent: row };
}
