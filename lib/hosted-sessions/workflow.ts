/**
 * Which hosted workflow a session may run: the configured WORKFLOW_ID, or another workflow the
 * user holds an active micro-agent subscription for.
 */
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { microAgents } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { forbidden, notConfigured } from "@/lib/http";

export type ResolvedWorkflow = { id: string; version?: string };

async function hasActiveSubscription(userId: string, workflowId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: microAgents.id })
    .from(microAgents)
    .where(
      and(eq(microAgents.userId, userId), eq(microAgents.workflowId, workflowId), eq(microAgents.status, "active")),
    )
    .limit(1);
  return row !== undefined;
}

export async function resolveWorkflow(
  userId: string,
  requested: { workflowId?: string; workflowVersion?: string },
): Promise<ResolvedWorkflow> {
  const configured = getEnv().workflow;
  const id = requested.workflowId ?? configured.id;
  if (!id) throw notConfigured("WORKFLOW_ID is not configured.");
  if (id !== configured.id && !(await hasActiveSubscription(userId, id))) {
    throw forbidden("You do not have an active subscription for this workflow.", "workflow_not_allowed");
  }
  // WORKFLOW_VERSION pins the configured workflow only; other workflows default to their latest.
  const version = requested.workflowVersion ?? (id === configured.id ? configured.version : undefined);
  return version ? { id, version } : { id };
}
