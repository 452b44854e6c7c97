/** Reading micro-agents and the wire shape every endpoint answers with. */
import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Queryable } from "@/db/client";
import { microAgents, microAgentStatus, type MicroAgent } from "@/db/schema";
import { notFound } from "@/lib/http";

/** MicroAgentResponse of the contract, plus `current_period_end` and `cancel_at_period_end`. */
export const microAgentResponseSchema = z.object({
  id: z.uuid(),
  agent_name: z.string(),
  workflow_id: z.string(),
  stripe_price_id: z.string(),
  stripe_subscription_id: z.string().nullable(),
  status: z.enum(microAgentStatus.enumValues),
  current_period_end: z
    .string()
    .nullable()
    .meta({ description: "End of the paid period (ISO-8601), once Stripe reports it." }),
  cancel_at_period_end: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type MicroAgentResponse = z.infer<typeof microAgentResponseSchema>;

export function toMicroAgentResponse(agent: MicroAgent): MicroAgentResponse {
  return {
    id: agent.id,
    agent_name: agent.agentName,
    workflow_id: agent.workflowId,
    stripe_price_id: agent.stripePriceId,
    stripe_subscription_id: agent.stripeSubscriptionId,
    status: agent.status,
    current_period_end: agent.currentPeriodEnd?.toISOString() ?? null,
    cancel_at_period_end: agent.cancelAtPeriodEnd,
    created_at: agent.createdAt.toISOString(),
    updated_at: agent.updatedAt.toISOString(),
  };
}
/** Newest first: the one just subscribed to is at the top of the dashboard. */
export async function listMicroAgents(userId: string): Promise<MicroAgent[]> {
  const db = await getDb();
  return db
    .select()
    .from(microAgents)
    .where(eq(microAgents.userId, userId))
    .orderBy(desc(microAgents.createdAt), desc(microAgents.id));
}

const uuidSchema = z.uuid();

/** The user's micro-agent; an unknown, malformed or foreign id is the same 404. */
export async function findOwnedMicroAgent(
  userId: string,
  id: string,
  q?: Queryable,
  options: { forUpdate?: boolean } = {},
): Promise<MicroAgent> {
  if (!uuidSchema.safeParse(id).success) throw microAgentNotFound();
  const db = q ?? (await getDb());
  const query = db
    .select()
    .from(microAgents)
    .where(and(eq(microAgents.id, id), eq(microAgents.userId, userId)))
    .limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw microAgentNotFound();
  return row;
}

export const microAgentNotFound = () => notFound("Micro agent not found", "micro_agent_not_found");

/** The user's micro-agent started by this Checkout session (the success page), if any. */
export async function findByCheckoutSession(userId: string, sessionId: string): Promise<MicroAgent | null> {
  if (!/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) return null;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(microAgents)
    .where(and(eq(microAgents.userId, userId), eq(microAgents.stripeCheckoutSessionId, sessionId)))
    .limit(1);
  return row ?? null;
}
