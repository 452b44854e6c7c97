/** Wire shapes of the facts endpoints (kept from the seed: `createdAt` is camelCase on purpose). */
import "server-only";
import { z } from "zod";
import { factStatus } from "@/db/schema";

export const factStatusSchema = z.enum(factStatus.enumValues);

export const factViewSchema = z.object({
  id: z.string().meta({ description: "`fact_` followed by hex characters.", examples: ["fact_3f9a1c0e5b7d42a8"] }),
  text: z.string().meta({ examples: ["My sister is called Ada."] }),
  status: factStatusSchema,
  createdAt: z.string().meta({ description: "ISO-8601 UTC timestamp." }),
});
export type FactView = z.infer<typeof factViewSchema>;

/** `GET /facts`. */
export const factListSchema = z.object({ facts: z.array(factViewSchema) });
/** `POST /facts/{fact_id}/save` and `/discard`. */
export const factEnvelopeSchema = z.object({ fact: factViewSchema });
