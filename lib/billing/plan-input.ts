/**
 * What a plan change accepts. Kept apart from `plan.ts` (server-only) so the API reference and the
 * resilience fuzz, which run outside Next, can read the schema.
 */
import { z } from "zod";
import { priceIdSchema } from "./subscribe-input";

export const planChangeSchema = z.object({ price_id: priceIdSchema });
export type PlanChangeInput = z.infer<typeof planChangeSchema>;
