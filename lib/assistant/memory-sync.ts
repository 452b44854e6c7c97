/**
 * Copies saved facts into the user's OpenAI vector store, when the user has one (hosted
 * sessions create it). Facts not yet copied keep `memory_synced_at` null and are retried on
 * the next save or the next turn; a failure here never loses or blocks the fact itself.
 * An attached file is not remembered yet: OpenAI indexes it in the background, and the memory
 * job (lib/memory/file-checks.ts) learns the outcome, retrying files that fail.
 */
import "server-only";
import { getDb } from "@/db/client";
import { drainJobsNow, keepAlive } from "@/lib/jobs";
import { findUserVectorStore, queueMemoryRefill, uploadFactToMemory } from "@/lib/memory";
import { openaiClient } from "@/lib/openai";
import {
  claimFactForMemory,
  completeFactMemory,
  listUnsyncedSavedFacts,
  releaseFactMemory,
} from "@/lib/facts/repository";
import { logger } from "@/lib/observability/logger";
import { recordMemoryCopyFailure } from "@/lib/observability/metrics";

const log = logger.child({ component: "memory" });

/** Uploads and attaches the facts awaiting their copy; returns how many were attached (their checks are then due). */
export async function syncSavedFactsToMemory(userId: string, source = "chat"): Promise<number> {
  if (!openaiClient()) return 0;
  if (!(await findUserVectorStore(userId))) return 0;
  const pending = await listUnsyncedSavedFacts(userId);
  let synced = 0;
  for (const fact of pending) {
    if (!(await claimFactForMemory(userId, fact.id))) continue; // another request is on it
    try {
      const entry = await uploadFactToMemory({ userId, factId: fact.id, text: fact.text, source });
      await completeFactMemory(userId, fact.id, entry.fileId);
      // The store had expired and was replaced: the facts copied into the old one go again.
      if (entry.replacedStoreId) await queueMemoryRefill(await getDb(), userId, new Date(), fact.id);
      synced++;
    } catch (err) {
      await releaseFactMemory(userId, fact.id);
      log.warn({ fact_id: fact.id, err }, "fact not copied to the vector store yet");
      recordMemoryCopyFailure();
      break; // the store is likely unavailable; the rest waits for the next attempt
    }
  }
  return synced;
}

/**
 * For request paths that must not wait on OpenAI: runs alongside, and the function stays alive
 * until it ends, including the memory job's first look at the files just attached.
 */
export function syncSavedFactsInBackground(userId: string, source?: string): void {
  keepAlive(
    "memory sync",
    syncSavedFactsToMemory(userId, source).then((synced) => (synced > 0 ? drainJobsNow() : undefined)),
  );
}
