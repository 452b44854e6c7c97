import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { facts } from "@/db/schema";
import { ensureUserVectorStore } from "@/lib/memory";
import { createPendingFact } from "@/lib/facts/repository";
import { createTestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { decideFact } from "./fact-decisions";
import { syncSavedFactsToMemory } from "./memory-sync";

useTestDatabase();
const fake = useOpenAIFake();

async function factRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(facts).where(eq(facts.id, id));
  return row!;
}

const storeFiles = (storeId: string) => [...(fake.get().resources.vectorStores.get(storeId)?.files.values() ?? [])];

describe("saved facts in the user's vector store", () => {
  it("a user without a vector store keeps facts in Postgres only", async () => {
    const user = await createTestUser();
    const fact = await createPendingFact({ userId: user.id, text: "Likes rain" });
    fake.get().clearRequests();
    await decideFact(user.id, fact.id, "saved");
    expect((await factRow(fact.id)).memoryFileId).toBeNull();
    expect(fake.get().requests("/files")).toHaveLength(0);
  });

  it("saving a fact uploads it as a JSON document with fact, user and source attributes", async () => {
    const user = await createTestUser();
    const storeId = await ensureUserVectorStore(user.id);
    const fact = await createPendingFact({ userId: user.id, text: "Plays the cello" });
    await decideFact(user.id, fact.id, "saved");
    const row = await factRow(fact.id);
    expect(row.memoryFileId).toMatch(/^file-/);
    const files = storeFiles(storeId);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      id: row.memoryFileId,
      attributes: { fact_id: fact.id, user_id: user.id, source: "chat" },
    });
  });

  it("an OpenAI failure never loses the fact, and the copy is retried later", async () => {
    const user = await createTestUser();
    const storeId = await ensureUserVectorStore(user.id);
    const fact = await createPendingFact({ userId: user.id, text: "Speaks Norwegian" });
    fake.get().failNext({ fault: "http500", path: "/files", times: 5 });
    const decided = await decideFact(user.id, fact.id, "saved");
    expect(decided.fact.status).toBe("saved");
    expect((await factRow(fact.id)).memorySyncedAt).toBeNull();
    expect(storeFiles(storeId)).toHaveLength(0);

    fake.get().clearFaults();
    expect(await syncSavedFactsToMemory(user.id)).toBe(1);
    expect((await factRow(fact.id)).memoryFileId).toMatch(/^file-/);
    expect(storeFiles(storeId)).toHaveLength(1);
  });

  it("concurrent retries upload each fact once", async () => {
    const user = await createTestUser();
    const storeId = await ensureUserVectorStore(user.id);
    fake.get().failNext({ fault: "http500", path: "/files", times: 10 });
    const ids: string[] = [];
    for (const text of ["Has two cats", "Runs marathons", "Grows tomatoes"]) {
      const fact = await createPendingFact({ userId: user.id, text });
      await decideFact(user.id, fact.id, "saved");
      ids.push(fact.id);
    }
    fake.get().clearFaults();
    const synced = await Promise.all(Array.from({ length: 5 }, () => syncSavedFactsToMemory(user.id)));
    expect(synced.reduce((a, b) => a + b, 0)).toBe(3);
    const attached = storeFiles(storeId).map((f) => String(f.attributes?.fact_id));
    expect(attached.sort()).toEqual([...ids].sort());
  });
});
