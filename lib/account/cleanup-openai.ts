/**
 * OpenAI side of deleting an account: the files that hold copies of its facts, then its vector
 * store. Idempotent: a file or store OpenAI no longer has counts as deleted.
 */
import "server-only";
import type OpenAI from "openai";
import { z } from "zod";
import { requireOpenAI, unlessOpenAINotFound } from "@/lib/openai";

const openaiIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/);

export const openAICleanupPayloadSchema = z.object({
  vector_store_id: openaiIdSchema.nullable(),
  file_ids: z.array(openaiIdSchema),
});
export type OpenAICleanupPayload = z.infer<typeof openAICleanupPayloadSchema>;

/** Every file attached to the store, including uploads that finished after the deletion snapshot. */
async function storeFiles(client: OpenAI, storeId: string): Promise<string[]> {
  const ids: string[] = [];
  const listed = await unlessOpenAINotFound(async () => {
    for await (const file of client.vectorStores.files.list(storeId, { limit: 100 })) ids.push(file.id);
    return true;
  });
  return listed ? ids : [];
}

export async function runOpenAICleanup(payload: OpenAICleanupPayload): Promise<void> {
  const client = requireOpenAI();
  const files = new Set(payload.file_ids);
  if (payload.vector_store_id) for (const id of await storeFiles(client, payload.vector_store_id)) files.add(id);
  for (const id of files) await unlessOpenAINotFound(() => client.files.delete(id));
  if (payload.vector_store_id) {
    const storeId = payload.vector_store_id;
    await unlessOpenAINotFound(() => client.vectorStores.delete(storeId));
  }
}
