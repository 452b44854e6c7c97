import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/e2e/support/test-database";
import { users } from "@/db/schema";
import { PostgresChatKitStore, type ChatKitContext } from "./store";
import { NotFoundError } from "@/lib/chatkit/errors";
import { countingIds, storeContractSuite, thread } from "@/lib/chatkit/testing/store-contract";

const testDb = useTestDatabase();

async function newUser(): Promise<ChatKitContext> {
  const db = await testDb.db();
  const [row] = await db
    .insert(users)
    .values({ email: `${randomUUID()}@example.com` })
    .returning({ id: users.id });
  return { userId: row!.id };
}

storeContractSuite<ChatKitContext>("postgres", {
  makeStore: () => new PostgresChatKitStore(),
  makeCountingStore: () => countingIds(new PostgresChatKitStore()),
  contexts: async () => [await newUser(), await newUser()],
});

describe("PostgresChatKitStore attachment bytes", () => {
  it("stores bytes for the owner only and clears the upload descriptor", async () => {
    const store = new PostgresChatKitStore(() => testDb.db());
    const a = await newUser();
    const b = await newUser();
    const id = `atc_${randomUUID().slice(0, 8)}`;
    await store.saveAttachment(
      {
        type: "file",
        id,
        name: "n.txt",
        mime_type: "text/plain",
        upload_descriptor: { url: "https://x/", method: "PUT", headers: {} },
      },
      a,
    );
    await expect(store.putAttachmentBytes(id, new Uint8Array([1, 2, 3]), b)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.getAttachmentBytes(id, a)).bytes).toBeNull();
    const saved = await store.putAttachmentBytes(id, new Uint8Array([1, 2, 3]), a);
    expect(saved.upload_descriptor).toBeUndefined();
    const got = await store.getAttachmentBytes(id, a);
    expect([...got.bytes!]).toEqual([1, 2, 3]);
    expect(got.mimeType).toBe("text/plain");
    await expect(store.getAttachmentBytes(id, b)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a thread id owned by another user cannot be taken over by save_thread", async () => {
    const store = new PostgresChatKitStore();
    const a = await newUser();
    const b = await newUser();
    const t = thread();
    await store.saveThread(t, a);
    await expect(store.saveThread({ ...t, title: "mine now" }, b)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.loadThread(t.id, a)).title ?? null).toBeNull();
  });
});
