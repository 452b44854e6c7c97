/**
 * Copies a saved fact into the user's vector store as a small JSON document, with attributes
 * (fact id, user id, source) that a File Search node can filter on.
 */
import "server-only";
import OpenAI from "openai";
import { callOpenAI, isOpenAINotFound, requireOpenAI } from "@/lib/openai";
import { ensureUserVectorStore, replaceUserVectorStore, storeIsGone } from "./vector-store";

export type FactMemoryInput = {
  userId: string;
  factId: string;
  text: string;
  /** Where the fact came from, e.g. "chat" or "widget". */
  source: string;
};

export type FactMemoryEntry = {
  vectorStoreId: string;
  fileId: string;
  /** Set when the user's store had expired or vanished and was replaced by `vectorStoreId`: the other facts need copying again. */
  replacedStoreId?: string;
};

const UPLOAD_FAILED = "Unable to save the fact to memory.";

function factDocument(input: FactMemoryInput): string {
  return JSON.stringify({
    type: "user_fact",
    fact_id: input.factId,
    user_id: input.userId,
    source: input.source,
    text: input.text,
    saved_at: new Date().toISOString(),
  });
}

async function attach(client: OpenAI, vectorStoreId: string, fileId: string, input: FactMemoryInput) {
  return client.vectorStores.files.create(vectorStoreId, {
    file_id: fileId,
    // Attribute strings are limited to 512 characters by the API.
    attributes: { fact_id: input.factId.slice(0, 512), user_id: input.userId, source: input.source.slice(0, 512) },
  });
}

/** Uploads the fact; throws a 502 AppError when OpenAI fails (callers may retry later). */
export async function uploadFactToMemory(input: FactMemoryInput): Promise<FactMemoryEntry> {
  const client = requireOpenAI();
  let vectorStoreId = await ensureUserVectorStore(input.userId);
  const file = await callOpenAI("memory file upload", UPLOAD_FAILED, async () =>
    client.files.create({
      file: await OpenAI.toFile(Buffer.from(factDocument(input), "utf8"), `fact-${input.factId}.json`, {
        type: "application/json",
      }),
      purpose: "assistants",
    }),
  );
  let replacedStoreId: string | undefined;
  try {
    await callOpenAI("memory file attach", UPLOAD_FAILED, async () => {
      try {
        await attach(client, vectorStoreId, file.id, input);
      } catch (err) {
        // The store was deleted at OpenAI, or expired (an expired store still exists but takes
        // no files; the status of that refusal is not documented, so ask the store itself).
        if (!isOpenAINotFound(err) && !(await storeIsGone(client, vectorStoreId))) throw err;
        replacedStoreId = vectorStoreId;
        vectorStoreId = await replaceUserVectorStore(input.userId, vectorStoreId);
        await attach(client, vectorStoreId, file.id, input);
      }
    });
  } catch (err) {
    await client.files.delete(file.id).catch(() => undefined); // no orphaned upload
    throw err;
  }
  return { vectorStoreId, fileId: file.id, ...(replacedStoreId ? { replacedStoreId } : {}) };
}
