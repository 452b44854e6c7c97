import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser } from "@/e2e/support/users";
import { PostgresChatKitStore, type ChatKitContext } from "./store";
import { ChatKitRequestError, NotFoundError } from "@/lib/chatkit/errors";
import type { Attachment, UserMessageItem } from "@/lib/chatkit/types";
import { thread } from "@/e2e/support/chatkit/fixtures";
import { countingIds, storeContractSuite } from "@/e2e/support/chatkit/store-contract";

const testDb = useTestDatabase();

async function newUser(): Promise<ChatKitContext> {
  return { userId: (await createTestUser()).id };
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

describe("PostgresChatKitStore.createThread", () => {
  const file = (id: string): Attachment => ({ type: "file", id, name: "n.txt", mime_type: "text/plain" });
  const message = (threadId: string, attachments: Attachment[], text = "hello"): UserMessageItem => ({
    type: "user_message",
    id: `msg_${randomUUID().slice(0, 8)}`,
    thread_id: threadId,
    created_at: new Date().toISOString(),
    content: [{ type: "input_text", text }],
    attachments,
    inference_options: {},
  });

  it("stores the thread, its first message and the claim on the message's attachments together", async () => {
    const store = new PostgresChatKitStore();
    const a = await newUser();
    const att = file(`atc_${randomUUID().slice(0, 8)}`);
    await store.saveAttachment(att, a);
    const t = thread();
    const first = message(t.id, [{ ...att, thread_id: t.id }]);
    await store.createThread(t, first, [att], a);
    expect((await store.loadThread(t.id, a)).id).toBe(t.id);
    expect((await store.loadThreadItems(t.id, null, 10, "asc", a)).data).toEqual([first]);
    expect((await store.loadAttachment(att.id, a)).thread_id).toBe(t.id);
  });

  it("writes nothing when an attachment is not the user's (or gone), or the first item is refused", async () => {
    const store = new PostgresChatKitStore();
    const a = await newUser();
    const b = await newUser();
    const foreign = file(`atc_${randomUUID().slice(0, 8)}`);
    await store.saveAttachment(foreign, b);
    const t1 = thread();
    await expect(store.createThread(t1, message(t1.id, []), [foreign], a)).rejects.toBeInstanceOf(NotFoundError);
    const t2 = thread();
    await expect(store.createThread(t2, message(t2.id, []), [file("atc_gone")], a)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // The database refuses the item (a NUL character) after the thread row was inserted: all rolled back.
    const t3 = thread();
    await expect(store.createThread(t3, message(t3.id, [], "a\u0000b"), [], a)).rejects.toThrow();
    for (const t of [t1, t2, t3]) await expect(store.loadThread(t.id, a)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.loadThreads(10, null, "asc", a)).data).toEqual([]);
    expect((await store.loadAttachment(foreign.id, b)).thread_id ?? null).toBeNull();
  });

  it("checkItem refuses, before any write, text the database cannot hold; escaped look-alikes pass", async () => {
    const store = new PostgresChatKitStore();
    const refused = (text: string) => {
      try {
        store.checkItem(message("thr_x", [], text));
        return false;
      } catch (err) {
        return err instanceof ChatKitRequestError && err.status === 400 && err.code === "unsupported_characters";
      }
    };
    expect(refused("nul \u0000 here")).toBe(true);
    expect(refused("lone \ud800 surrogate")).toBe(true);
    expect(refused("lone low \udc00")).toBe(true);
    expect(refused("a pair 😀 is fine")).toBe(false);
    expect(refused("the six characters \\u0000 typed out")).toBe(false);
    expect(refused("backslash then nul \\\u0000")).toBe(true);
  });
});
