/** The per-user memory vector store against the OpenAI fake and a real database. */
import { captureLogs } from "@/lib/observability/logger";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userVectorStore } from "@/db/schema";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { AppError } from "@/lib/http";
import { deleteUserVectorStore, ensureUserVectorStore, findUserVectorStore, uploadFactToMemory } from "./index";

const testDb = useTestDatabase();
const openai = useOpenAIFake();

let user: TestUser;
beforeEach(async () => {
  openai.get().reset();
  user = await createTestUser();
});
afterEach(() => openai.get().clearFaults());

const storeRows = async (userId: string) =>
  (await testDb.db()).select().from(userVectorStore).where(eq(userVectorStore.userId, userId));

describe("ensureUserVectorStore", () => {
  it("creates the store once, named and tagged for the user, and records it", async () => {
    const id = await ensureUserVectorStore(user.id);
    expect(await ensureUserVectorStore(user.id)).toBe(id);
    expect(openai.get().requests("/vector_stores")).toHaveLength(1);
    expect(openai.get().resources.getVectorStore(id)).toMatchObject({
      name: `user-${user.id}-memory`,
      metadata: { user_id: user.id, purpose: "memory" },
    });
    expect(await findUserVectorStore(user.id)).toBe(id);
  });

  it("gives 20 racing callers the same single store", async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => ensureUserVectorStore(user.id)));
    expect(new Set(ids).size).toBe(1);
    expect(openai.get().resources.vectorStores.size).toBe(1);
    expect(await storeRows(user.id)).toHaveLength(1);
  });

  it("gives different users different stores", async () => {
    const other = await createTestUser();
    expect(await ensureUserVectorStore(user.id)).not.toBe(await ensureUserVectorStore(other.id));
  });

  it("records nothing when OpenAI fails, with a 502", async () => {
    openai.get().failNext({ fault: "http500", path: "/vector_stores", times: 2 });
    const err = await ensureUserVectorStore(user.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(502);
    expect(await storeRows(user.id)).toHaveLength(0);
  });

  it("throws not_configured without an API key", async () => {
    const restore = withEnv({ OPENAI_API_KEY: undefined });
    try {
      await expect(ensureUserVectorStore(user.id)).rejects.toMatchObject({ status: 500, code: "not_configured" });
    } finally {
      restore();
    }
  });
});

describe("uploadFactToMemory", () => {
  it("uploads a small JSON document and attaches it with attributes", async () => {
    const entry = await uploadFactToMemory({
      userId: user.id,
      factId: "fact_abc",
      text: "User lives in Oslo",
      source: "chat",
    });
    expect(entry.vectorStoreId).toBe(await findUserVectorStore(user.id));
    const file = openai.get().resources.files.get(entry.fileId);
    expect(file?.filename).toBe("fact-fact_abc.json");
    expect(JSON.parse(file!.content.toString("utf8"))).toMatchObject({
      fact_id: "fact_abc",
      user_id: user.id,
      source: "chat",
      text: "User lives in Oslo",
    });
    expect(openai.get().resources.listStoreFiles(entry.vectorStoreId).data).toMatchObject([
      { id: entry.fileId, attributes: { fact_id: "fact_abc", user_id: user.id, source: "chat" } },
    ]);
  });

  it("recreates the store when it no longer exists at OpenAI", async () => {
    const first = await ensureUserVectorStore(user.id);
    openai.get().resources.deleteVectorStore(first);
    const entry = await uploadFactToMemory({
      userId: user.id,
      factId: "fact_1",
      text: "User likes tea",
      source: "chat",
    });
    expect(entry.vectorStoreId).not.toBe(first);
    expect(await findUserVectorStore(user.id)).toBe(entry.vectorStoreId);
    expect(openai.get().resources.listStoreFiles(entry.vectorStoreId).data).toHaveLength(1);
  });

  it("fails with a 502 and leaves no orphaned upload when attaching fails", async () => {
    await ensureUserVectorStore(user.id);
    openai.get().failNext({ fault: "http500", path: "/vector_stores/", method: "POST", times: 2 });
    await expect(
      uploadFactToMemory({ userId: user.id, factId: "fact_2", text: "x", source: "chat" }),
    ).rejects.toMatchObject({ status: 502 });
    expect(openai.get().resources.files.size).toBe(0);
  });
});

describe("deleteUserVectorStore", () => {
  it("deletes the store at OpenAI and forgets it", async () => {
    const id = await ensureUserVectorStore(user.id);
    expect(await deleteUserVectorStore(user.id)).toBe(true);
    expect(openai.get().resources.vectorStores.has(id)).toBe(false);
    expect(await storeRows(user.id)).toHaveLength(0);
  });

  it("is a no-op for a user without a store", async () => {
    expect(await deleteUserVectorStore(user.id)).toBe(true);
    expect(openai.get().requests()).toHaveLength(0);
  });

  it("is best effort: logs an OpenAI failure, still forgets the row, never throws", async () => {
    await ensureUserVectorStore(user.id);
    const logs = captureLogs("warn");
    openai.get().failNext({ fault: "http500", path: "/vector_stores/", method: "DELETE", times: 2 });
    expect(await deleteUserVectorStore(user.id)).toBe(false);
    logs.stop();
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: "could not delete the vector store" }));
    expect(await storeRows(user.id)).toHaveLength(0);
  });
});
