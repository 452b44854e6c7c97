/**
 * What a subscription request accepts. Kept apart from `subscribe.ts` (server-only) so the API
 * reference and the resilience fuzz, which run outside Next, can read the schema.
 */
import { z } from "zod";

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "must not contain control characters")
    // A lone surrogate cannot be sent on to Stripe (URL encoding throws): refuse it here as a 422.
    .refine((v) => v.isWellFormed(), "must be valid Unicode text");

// Stripe ids are word characters; anything else could never name a price.
export const priceIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,255}$/, "must be a Stripe price id such as price_123");

export const subscribeSchema = z.object({
  agent_name: text(100).optional().meta({ description: "Display name; defaults to the micro-agent's name." }),
  workflow_id: text(200),
  price_id: priceIdSchema,
});
export type SubscribeInput = z.infer<typeof subscribeSchema>;
