/**
 * The Store contract (PROTOCOL.md §9; cases S1–S16, §11) as a reusable vitest suite: call `storeContractSuite`
 * from a test file with a factory for the store under test and two tenant contexts.
 */
import { describe, expect, it } from "vitest";
import { NotFoundError } from "@/lib/chatkit/errors";
import type { Store } from "@/lib/chatkit/store";
import { assistantMessage, at, thread, uid, userMessage } from "./fixtures";
import type { Attachment, ThreadItem, ThreadMetadata, StoreItemType } from "@/lib/chatkit/types";

export type StoreContractOptions<C> = {
  /** A fresh store; `withCounterIds` asks for one whose id generators are overridden (S16). */
  makeStore: () => Store<C> | Promise<Store<C>>;
  makeCountingStore: () => Store<C> | Promise<Store<C>>;
  /** Two different tenants (users). Called per test so suites can create users. */
  contexts: () => Promise<[C, C]>;
};

/** Store-visible counter-based id generators (S16 / C47). */
export function countingIds<C, S extends Store<C>>(store: S): S {
  let counter = 0;
  store.generateThreadId = () => `thr_custom_${++counter}`;
  store.generateItemId = (type: StoreItemType, t: ThreadMetadata) => `${type}_custom_${++counter}_${t.id}`;
  return store;
}

export function storeContractSuite<C>(name: string, opts: StoreContractOptions<C>): void {
  describe(`Store contract: ${name}`, () => {
    it("S1: a saved thread loads back with the same id, title and metadata", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread(undefined, { title: "Hello", metadata: { a: 1, nested: { b: [1, 2] } } });
      await store.saveThread(t, ctx);
      const loaded = await store.loadThread(t.id, ctx);
      expect(loaded.id).toBe(t.id);
      expect(loaded.title).toBe("Hello");
      expect(loaded.metadata).toEqual({ a: 1, nested: { b: [1, 2] } });
      expect(loaded.created_at).toBe(t.created_at);
    });

    it("S2: a thread without title round-trips without title", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      expect((await store.loadThread(t.id, ctx)).title ?? null).toBeNull();
    });

    it("S3/S5: saving a thread again overwrites it (upsert)", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread(undefined, { title: "one" });
      await store.saveThread(t, ctx);
      await store.saveThread(
        { ...t, title: "two", status: { type: "locked", reason: "x" }, allowed_image_domains: ["a.com"] },
        ctx,
      );
      const loaded = await store.loadThread(t.id, ctx);
      expect(loaded.title).toBe("two");
      expect(loaded.status).toEqual({ type: "locked", reason: "x" });
      expect(loaded.allowed_image_domains).toEqual(["a.com"]);
    });

    it("S4: items (user message with attachment metadata, assistant, widget) round-trip exactly", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      const att: Attachment = {
        type: "file",
        id: uid("atc"),
        name: "f.txt",
        mime_type: "text/plain",
        metadata: { source: "test" },
      };
      const items: ThreadItem[] = [
        userMessage(t.id, "msg1", "hi", at(1), [att]),
        assistantMessage(t.id, "msg2", "hello", at(2)),
        {
          type: "widget",
          id: "msg3",
          thread_id: t.id,
          created_at: at(3),
          widget: {
            type: "Card",
            children: [
              {
                type: "Col",
                padding: { top: 1, x: 2 },
                border: { size: 1, color: "red" },
                children: [{ type: "Text", value: "x" }],
              },
            ],
          },
        },
      ];
      for (const i of items) await store.addThreadItem(t.id, i, ctx);
      const page = await store.loadThreadItems(t.id, null, 10, "asc", ctx);
      expect(page.data).toEqual(items);
      expect(page.has_more).toBe(false);
    });

    it("S6/S7: file and image attachments round-trip exactly (with metadata)", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const file: Attachment = {
        type: "file",
        id: uid("atc"),
        name: "a.pdf",
        mime_type: "application/pdf",
        upload_descriptor: { url: "https://u.example/x", method: "PUT", headers: { a: "b" } },
      };
      const image: Attachment = {
        type: "image",
        id: uid("atc"),
        name: "i.png",
        mime_type: "image/png",
        preview_url: "https://p.example/i",
        metadata: { k: "v" },
      };
      await store.saveAttachment(file, ctx);
      await store.saveAttachment(image, ctx);
      expect(await store.loadAttachment(file.id, ctx)).toEqual(file);
      expect(await store.loadAttachment(image.id, ctx)).toEqual(image);
      // upsert: gains a thread id
      await store.saveAttachment({ ...file, thread_id: "thr_x" }, ctx);
      expect((await store.loadAttachment(file.id, ctx)).thread_id).toBe("thr_x");
      await store.deleteAttachment(file.id, ctx);
      await expect(store.loadAttachment(file.id, ctx)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("S8: threads page by created_at with an exclusive id cursor", async () => {
      const store = await opts.makeStore();
      const [, ctx] = await opts.contexts();
      const base = Date.now();
      const ts = [1, 2, 3].map((k) =>
        thread(uid(`thread${k}`), { created_at: new Date(base + k * 1000).toISOString() }),
      );
      for (const t of [ts[1]!, ts[0]!, ts[2]!]) await store.saveThread(t, ctx);
      const p1 = await store.loadThreads(2, null, "asc", ctx);
      expect(p1.data.map((t) => t.id)).toEqual([ts[0]!.id, ts[1]!.id]);
      expect(p1.has_more).toBe(true);
      expect(p1.after).toBe(ts[1]!.id);
      const p2 = await store.loadThreads(2, p1.after!, "asc", ctx);
      expect(p2.data.map((t) => t.id)).toEqual([ts[2]!.id]);
      expect(p2.has_more).toBe(false);
      expect(p2.after).toBeUndefined();
      const d = await store.loadThreads(10, null, "desc", ctx);
      expect(d.data.map((t) => t.id).slice(0, 3)).toEqual([ts[2]!.id, ts[1]!.id, ts[0]!.id]);
      const d2 = await store.loadThreads(1, ts[2]!.id, "desc", ctx);
      expect(d2.data.map((t) => t.id)).toEqual([ts[1]!.id]);
      expect(d2.has_more).toBe(true);
      expect(d2.after).toBe(ts[1]!.id);
    });

    it("S9: items load ascending and descending", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      for (const k of [1, 2, 3]) await store.addThreadItem(t.id, userMessage(t.id, `msg${k}`, `m${k}`, at(k)), ctx);
      expect((await store.loadThreadItems(t.id, null, 10, "asc", ctx)).data.map((i) => i.id)).toEqual([
        "msg1",
        "msg2",
        "msg3",
      ]);
      expect((await store.loadThreadItems(t.id, null, 10, "desc", ctx)).data.map((i) => i.id)).toEqual([
        "msg3",
        "msg2",
        "msg1",
      ]);
    });

    it("S10: item pagination with cursor and limit, both orders, ties broken by insertion order", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      // msg3 and msg4 share a timestamp: insertion order decides.
      const stamps = [at(0), at(1), at(2), at(3), at(3)];
      for (let k = 0; k < 5; k++)
        await store.addThreadItem(t.id, userMessage(t.id, `msg${k}`, `m${k}`, stamps[k]!), ctx);
      const a = await store.loadThreadItems(t.id, "msg1", 3, "asc", ctx);
      expect(a.data.map((i) => i.id)).toEqual(["msg2", "msg3", "msg4"]);
      expect(a.has_more).toBe(false);
      expect(a.after).toBeUndefined();
      const b = await store.loadThreadItems(t.id, null, 2, "asc", ctx);
      expect(b.data.map((i) => i.id)).toEqual(["msg0", "msg1"]);
      expect(b.has_more).toBe(true);
      expect(b.after).toBe("msg1");
      const c = await store.loadThreadItems(t.id, "msg4", 2, "desc", ctx);
      expect(c.data.map((i) => i.id)).toEqual(["msg3", "msg2"]);
      expect(c.has_more).toBe(true);
      expect(c.after).toBe("msg2");
      const d = await store.loadThreadItems(t.id, "msg2", 5, "desc", ctx);
      expect(d.data.map((i) => i.id)).toEqual(["msg1", "msg0"]);
      expect(d.has_more).toBe(false);
    });

    it("S11: save_item replaces an existing item (assistant and widget); add_thread_item is an upsert", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      await store.addThreadItem(t.id, assistantMessage(t.id, "a1", "old", at(1)), ctx);
      await store.saveItem(t.id, assistantMessage(t.id, "a1", "new", at(1)), ctx);
      const loaded = await store.loadItem(t.id, "a1", ctx);
      expect(loaded.type === "assistant_message" && loaded.content[0]?.text).toBe("new");
      const w: ThreadItem = {
        type: "widget",
        id: "w1",
        thread_id: t.id,
        created_at: at(2),
        widget: { type: "Card", children: [] },
      };
      await store.addThreadItem(t.id, w, ctx);
      await store.saveItem(t.id, { ...w, widget: { type: "Card", children: [{ type: "Text", value: "z" }] } }, ctx);
      const lw = await store.loadItem(t.id, "w1", ctx);
      expect(lw.type === "widget" && lw.widget.children?.[0]?.value).toBe("z");
      await store.addThreadItem(t.id, { ...w, widget: { type: "Card", children: [] } }, ctx);
      expect((await store.loadThreadItems(t.id, null, 10, "asc", ctx)).data).toHaveLength(2);
      // type may change on save_item
      await store.saveItem(t.id, userMessage(t.id, "a1", "now a user message", at(1)), ctx);
      expect((await store.loadItem(t.id, "a1", ctx)).type).toBe("user_message");
    });

    it("S12: load_item of an unknown id throws NotFoundError; delete_thread_item of a missing id is fine", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      await expect(store.loadItem(t.id, "nope", ctx)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.loadThread("thr_nope", ctx)).rejects.toBeInstanceOf(NotFoundError);
      await store.deleteThreadItem(t.id, "nope", ctx);
    });

    it("S13: a thread saved by user A is not found for user B and not listed", async () => {
      const store = await opts.makeStore();
      const [a, b] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, a);
      await expect(store.loadThread(t.id, b)).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.loadThreads(100, null, "desc", b)).data.map((x) => x.id)).not.toContain(t.id);
      // B cannot overwrite or delete it
      await store.saveThread({ ...t, title: "hijack" }, b).catch(() => undefined);
      await store.deleteThread(t.id, b);
      expect((await store.loadThread(t.id, a)).title ?? null).toBeNull();
    });

    it("S14: items of user A are invisible to user B (empty list, not-found item, no writes)", async () => {
      const store = await opts.makeStore();
      const [a, b] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, a);
      await store.addThreadItem(t.id, userMessage(t.id, "m1", "secret", at(1)), a);
      expect((await store.loadThreadItems(t.id, null, 10, "asc", b)).data).toEqual([]);
      await expect(store.loadItem(t.id, "m1", b)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.addThreadItem(t.id, userMessage(t.id, "m2", "x", at(2)), b)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await store.saveItem(t.id, userMessage(t.id, "m1", "overwritten", at(1)), b).catch(() => undefined);
      await store.deleteThreadItem(t.id, "m1", b);
      const items = (await store.loadThreadItems(t.id, null, 10, "asc", a)).data;
      expect(items.map((i) => i.id)).toEqual(["m1"]);
      expect(
        items[0]!.type === "user_message" && items[0]!.content[0]?.type === "input_text" && items[0]!.content[0].text,
      ).toBe("secret");
      const att: Attachment = { type: "file", id: uid("atc"), name: "s", mime_type: "text/plain" };
      await store.saveAttachment(att, a);
      await expect(store.loadAttachment(att.id, b)).rejects.toBeInstanceOf(NotFoundError);
      await store.deleteAttachment(att.id, b);
      expect((await store.loadAttachment(att.id, a)).id).toBe(att.id);
    });

    it("S15: default ids use thr_/msg_/tc_/tsk_/wf_/atc_/shcx_ prefixes", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      expect(store.generateThreadId(ctx)).toMatch(/^thr_[0-9a-f]{8}$/);
      expect(store.generateItemId("message", t, ctx)).toMatch(/^msg_[0-9a-f]{8}$/);
      expect(store.generateItemId("tool_call", t, ctx)).toMatch(/^tc_[0-9a-f]{8}$/);
      expect(store.generateItemId("task", t, ctx)).toMatch(/^tsk_[0-9a-f]{8}$/);
      expect(store.generateItemId("workflow", t, ctx)).toMatch(/^wf_[0-9a-f]{8}$/);
      expect(store.generateItemId("sdk_hidden_context", t, ctx)).toMatch(/^shcx_[0-9a-f]{8}$/);
    });

    it("S16: overridden id generators are used", async () => {
      const store = await opts.makeCountingStore();
      const [ctx] = await opts.contexts();
      const t1 = thread(store.generateThreadId(ctx));
      expect(t1.id).toBe("thr_custom_1");
      expect(store.generateItemId("message", t1, ctx)).toBe("message_custom_2_thr_custom_1");
      expect(store.generateItemId("tool_call", t1, ctx)).toBe("tool_call_custom_3_thr_custom_1");
      expect(store.generateItemId("task", t1, ctx)).toBe("task_custom_4_thr_custom_1");
      expect(store.generateThreadId(ctx)).toBe("thr_custom_5");
    });

    it("deleting a thread removes its items", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      await store.addThreadItem(t.id, userMessage(t.id, "m1", "x", at(1)), ctx);
      await store.deleteThread(t.id, ctx);
      await expect(store.loadThread(t.id, ctx)).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.loadThreadItems(t.id, null, 10, "asc", ctx)).data).toEqual([]);
    });

    it("an unknown cursor yields an empty page", async () => {
      const store = await opts.makeStore();
      const [ctx] = await opts.contexts();
      const t = thread();
      await store.saveThread(t, ctx);
      await store.addThreadItem(t.id, userMessage(t.id, "m1", "x", at(1)), ctx);
      expect(await store.loadThreadItems(t.id, "missing", 10, "asc", ctx)).toEqual({ data: [], has_more: false });
    });
  });
}
