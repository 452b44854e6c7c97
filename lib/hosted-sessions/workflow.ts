/**
 * Which hosted workflow a session runs: the one requested, else the configured WORKFLOW_ID —
 * and only if the user may run it (lib/billing/entitlements, the one rule for that).
 */
import "server-only";
import { requireWorkflowAccess } from "@/lib/billing/entitlements";
import { getEnv } from "@/lib/env";
import { notConfigured } from "@/lib/http";

export type ResolvedWorkflow = { id: string; version?: string };

export async function resolveWorkflow(
  userId: string,
  requested: { workflowId?: string; workflowVersion?: string },
): Promise<ResolvedWorkflow> {
  const configured = getEnv().workflow;
  const id = requested.workflowId ?? configured.id;
  if (!id) throw notConfigured("WORKFLOW_ID is not configured.");
  await requireWorkflowAccess(userId, id);
  // WORKFLOW_VERSION pins the configured workflow only; other workflows default to their latest.
  const version = requested.workflowVersion ?? (id === configured.id ? configured.version : undefined);
  return version ? { id, version } : { id };
}
