/**
 * Save or discard a fact: the one path shared by the widget buttons and the REST endpoints,
 * so both change the same rows and agree.
 */
import { notFound } from "@/lib/http";
import { setFactStatus, type Transition } from "@/lib/facts/repository";

export type FactDecision = "saved" | "discarded";

export async function decideFact(userId: string, factId: string, decision: FactDecision): Promise<Transition> {
  const result = await setFactStatus(userId, factId, decision);
  if (!result) throw notFound("Fact not found", "fact_not_found");
  return result;
}
