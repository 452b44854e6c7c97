/**
 * Copies saved facts into the user's OpenAI vector store, when the user has one (hosted
 * sessions create it). Facts not yet copied keep `memory_synced_at` null and are retried on
 * the next save or the next turn; a failure here never loses or blocks the fact itself.
 */
import { keepAlive } from "@/lib/jobs";
import { findUserVectorStore, uploadFactToMemory } from "@/lib/memory";
import { openaiClient } from "@/lib/openai";
import {
  claimFactForMemory,
  completeFactMemory,
  listUnsyncedSavedFacts,
  releaseFactMemory,
} from "@/lib/facts/repository";

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
      synced++;
    } catch (err) {
      await releaseFactMemory(userId, fact.id);
      console.warn(
        `[memory] fact ${fact.id} not copied to the vector store yet:`,
        err instanceof Error ? err.message : err,
      );
      break; // the store is likely unavailable; the rest waits for the next attempt
    }
  }
  return synced;
}

/** For request paths that must not wait on OpenAI: runs alongside, and the function stays alive until it ends. */
export function syncSavedFactsInBackground(userId: string, source?: string): void {
  keepAlive("memory sync", syncSavedFactsToMemory(userId, source));
}
