/**
 * Whether this deployment's assistant has a model: what a client (the preview's Playwright run,
 * a status page) reads to know if the chat can answer, without sending a turn to find out.
 */
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { NOT_CONFIGURED_MESSAGE } from "./constants";

export const assistantStatusSchema = z.discriminatedUnion("configured", [
  z.object({ configured: z.literal(true) }),
  z.object({ configured: z.literal(false), detail: z.string() }),
]);
export type AssistantStatus = z.infer<typeof assistantStatusSchema>;

/** Configured when OPENAI_API_KEY is set; otherwise the same words the chat shows, naming what to set. */
export function assistantStatus(): AssistantStatus {
  return getEnv().openai.apiKey ? { configured: true } : { configured: false, detail: NOT_CONFIGURED_MESSAGE };
}
