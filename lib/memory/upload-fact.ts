/**
 * Copies a saved fact into the user's vector store as a small JSON document, with attributes
 * (fact id, user id, source) that a File Search node can filter on.
 */
import OpenAI from "openai";
import { callOpenAI, isOpenAINotFound, requireOpenAI } from "@/lib/openai";
import { ensureUserVectorStore, forgetUserVectorStore } from "./vector-store";

export type FactMemoryInput = {
  userId: string;
  factId: string;
  text: string;
  /** Where the fact came from, e.g. "chat" or "widget". */
  source: string;
};

export type FactMemoryEntry = { vectorStoreId: string; fileId: string };

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
  try {
    await callOpenAI("memory file attach", UPLOAD_FAILED, async () => {
      try {
        await attach(client, vectorStoreId, file.id, input);
      } catch (err) {
        if (!isOpenAINotFound(err)) throw err;
        // The store expired or was deleted at OpenAI: record a fresh one and attach there.
        await forgetUserVectorStore(input.userId, vectorStoreId);
        vectorStoreId = await ensureUserVectorStore(input.userId);
        await attach(client, vectorStoreId, file.id, input);
      }
    });
  } catch (err) {
    await client.files.delete(file.id).catch(() => undefined); // no orphaned upload
    throw err;
  }
  return { vectorStoreId, fileId: file.id };
}
