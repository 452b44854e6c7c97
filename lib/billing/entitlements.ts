/**
 * Which hosted workflows a user may run — the one rule every caller asks:
 *
 * - the configured default workflow (WORKFLOW_ID) is open to every signed-in user;
 * - any other workflow only while the user holds an `active` micro-agent whose price belongs to
 *   a catalogue product that unlocks that workflow (`metadata.workflow_id` at Stripe).
 *
 * The price decides, not the `workflow_id` a client once sent: paying for one micro-agent never
 * unlocks another. A plan change or a switch made in Stripe's own portal moves the row's price
 * (through the webhook) and with it what is unlocked. Archived prices keep unlocking their
 * product's workflow for the subscribers Stripe still bills.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { forbidden } from "@/lib/http";
import { getCatalogue } from "./catalogue";

async function activeSubscriptions(userId: string) {
  const db = await getDb();
  return db
    .select({ priceId: microAgents.stripePriceId, updatedAt: microAgents.updatedAt })
    .from(microAgents)
    .where(and(eq(microAgents.userId, userId), eq(microAgents.status, "active")));
}

/** True when the user may run `workflowId`. May answer 503 when the catalogue was never readable. */
export async function canUseWorkflow(userId: string, workflowId: string): Promise<boolean> {
  if (workflowId === getEnv().workflow.id) return true;
  const active = await activeSubscriptions(userId);
  if (active.length === 0) return false;
  const since = new Date(Math.max(...active.map((r) => r.updatedAt.getTime())));
  const priceIds = active.map((r) => r.priceId);
  const { catalogue } = await getCatalogue({ including: { priceIds, since } });
  return priceIds.some((id) => catalogue.unlocks.get(id)?.workflowId === workflowId);
}

/** 403 `workflow_not_allowed` unless the user may run `workflowId`. */
export async function requireWorkflowAccess(userId: string, workflowId: string): Promise<void> {
  if (!(await canUseWorkflow(userId, workflowId))) {
    throw forbidden("You do not have an active subscription for this workflow.", "workflow_not_allowed");
  }
}
