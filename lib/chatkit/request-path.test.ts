/**
 * The request path before a producer runs: one round of reads (with the caller's authorisation
 * and `prepareTurn`), the request's writes queued alongside the producer, and what happens
 * when the authorisation or a queued write fails.
 */
import { describe, expect, it } from "vitest";
import { ChatKitRequestError } from "./errors";
import { ChatKitServer, type RunControl } from "./server";
import { InMemoryStore, nowIso } from "./store";
import { createReq, userInput } from "@/e2e/support/chatkit/fixtures";
import { assistant, create, DEFAULT_CTX, post, type Ctx } from "@/e2e/support/chatkit/harness";
import type {
  Attachment,
  Page,
  SortOrder,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
  UserMessageItem,
} from "./types";

const ctx = DEFAULT_CTX;

/** An in-memory store whose reads wait for `open()`, recording which calls were made meanwhile. */
class GatedStore extends InMemoryStore<Ctx> {
  calls: string[] = [];
  gate: Promise<void> | null = null;
  private release = () => {};
  close() {
    this.gate = new Promise((r) => (this.release = r));
  }
  open() {
    this.release();
    this.gate = null;
  }
  private async wait(name: string) {
    this.calls.push(name);
    if (this.gate) await this.gate;
  }
  override async loadThread(id: string, c: Ctx): Promise<ThreadMetadata> {
    await this.wait("loadThread");
    return super.loadThread(id, c);
  }
  override async loadThreadItems(
    id: string,
    after: string | null,
    limit: number,
    order: SortOrder,
    c: Ctx,
  ): Promise<Page<ThreadItem>> {
    await this.wait("loadThreadItems");
    return super.loadThreadItems(id, after, limit, order, c);
  }
  override async loadThreads(limit: number, after: string | null, order: SortOrder, c: Ctx) {
    await this.wait("loadThreads");
    return super.loadThreads(limit, after, order, c);
  }
  override async createThread(t: ThreadMetadata, first: ThreadItem, attachments: Attachment[], c: Ctx): Promise<void> {
    this.calls.push("createThread");
    return super.createThread(t, first, attachments, c);
  }
  override async addThreadItem(threadId: string, item: ThreadItem, c: Ctx): Promise<void> {
    this.calls.push(`addThreadItem:${item.type}`);
    return super.addThreadItem(threadId, item, c);
  }
}

type Seen = { history: ThreadItem[] | null; turn: string; callsAtStart: string[] };

class WindowServer extends ChatKitServer<Ctx, string> {
  override readonly historyLimit = 3;
  seen: Seen[] = [];
  turnCalls = 0;
  refuseTurn = false;
  constructor(readonly gated: GatedStore) {
    super(gated);
  }
  override async prepareTurn(): Promise<string> {
    this.turnCalls++;
    this.gated.calls.push("prepareTurn");
    if (this.gated.gate) await this.gated.gate;
    if (this.refuseTurn) throw new ChatKitRequestError(429, "turn_quota", "No more turns today.");
    return "turn-setup";
  }
  async *respond(
    thread: ThreadMetadata,
    _input: UserMessageItem | null,
    _c: Ctx,
    run: RunControl<string>,
  ): AsyncIterable<ThreadStreamEvent> {
    this.seen.push({ history: run.history, turn: run.turn, callsAtStart: [...this.gated.calls] });
    yield { type: "thread.item.done", item: assistant(thread.id, `a_${this.seen.length}`, "ok") };
  }
}

function setup() {
  const store = new GatedStore((c) => c.user_id);
  const server = new WindowServer(store);
  return { store, server };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("the request path before the producer", () => {
  it("threads.create: the producer gets the new message as its history and the turn setup, with no read at all", async () => {
    const { store, server } = setup();
    const answer = await create(server, "hi");
    expect(answer.events.at(-1)?.type).not.toBe("error");
    const seen = server.seen[0]!;
    expect(seen.turn).toBe("turn-setup");
    expect(seen.history?.map((i) => i.type)).toEqual(["user_message"]);
    expect(seen.callsAtStart).toEqual(["prepareTurn"]); // no loadThread, no loadThreadItems before it
    expect(store.calls).toContain("createThread");
    expect((await store.loadThreads(10, null, "asc", ctx)).data).toHaveLength(1);
  });

  it("threads.add_user_message: the thread, the recent items and the turn setup are read together", async () => {
    const { store, server } = setup();
    const { thread } = await create(server, "first");
    store.calls = [];
    store.close();
    const pending = server.process(
      JSON.stringify({
        type: "threads.add_user_message",
        params: { thread_id: thread.id, input: userInput("second") },
      }),
      ctx,
    );
    await settle();
    // All three were asked for before any of them answered.
    expect([...store.calls].sort()).toEqual(["loadThread", "loadThreadItems", "prepareTurn"]);
    store.open();
    const result = await pending;
    if (result.kind !== "stream") throw new Error("expected a stream");
    await new Response(result.stream).text();
    await result.done;
    const seen = server.seen[1]!;
    // Newest first, the new message included, at most historyLimit items.
    expect(seen.history?.map((i) => i.type)).toEqual(["user_message", "assistant_message", "user_message"]);
    expect((seen.history?.[0] as UserMessageItem).content).toEqual([{ type: "input_text", text: "second" }]);
    const items = await store.loadThreadItems(thread.id, null, 10, "asc", ctx);
    expect(items.data.map((i) => i.type)).toEqual([
      "user_message",
      "assistant_message",
      "user_message",
      "assistant_message",
    ]);
  });

  it("threads.retry_after_item: the history starts at the retried message and newer items are removed", async () => {
    const { store, server } = setup();
    const { thread, events } = await create(server, "first");
    const firstMessage = events.find((e) => e.type === "thread.item.done" && e.item.type === "user_message")!.item;
    await post(server, { type: "threads.add_user_message", params: { thread_id: thread.id, input: userInput("2nd") } });
    const answer = await post(server, {
      type: "threads.retry_after_item",
      params: { thread_id: thread.id, item_id: firstMessage.id },
    });
    expect(answer.events.some((e) => e.type === "error")).toBe(false);
    expect(server.seen.at(-1)!.history?.map((i) => i.id)).toEqual([firstMessage.id]);
    const items = await store.loadThreadItems(thread.id, null, 10, "asc", ctx);
    expect(items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
  });

  it("an unauthorised caller gets the authorisation's error even when its reads fail, and nothing runs or is written", async () => {
    const { store, server } = setup();
    const denied = new Error("unauthorised");
    for (const req of [
      createReq("hi"),
      { type: "threads.add_user_message", params: { thread_id: "thr_missing", input: userInput("x") } },
      { type: "threads.list", params: {} },
      "{not json",
    ]) {
      const body = typeof req === "string" ? req : JSON.stringify(req);
      await expect(server.process(body, ctx, { authorised: Promise.reject(denied) })).rejects.toBe(denied);
    }
    expect(server.seen).toHaveLength(0);
    expect(store.calls.filter((c) => c.startsWith("create") || c.startsWith("add"))).toEqual([]);
    expect((await store.loadThreads(10, null, "asc", ctx)).data).toEqual([]);
  });

  it("nothing is streamed or written before the authorisation settles", async () => {
    const { store, server } = setup();
    let authorise!: () => void;
    const authorised = new Promise<void>((r) => (authorise = r));
    const pending = server.process(JSON.stringify(createReq("hi")), ctx, { authorised });
    let answered = false;
    void pending.then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    expect(store.calls).toEqual(["prepareTurn"]); // the read ran meanwhile; no write
    authorise();
    const result = await pending;
    if (result.kind !== "stream") throw new Error("expected a stream");
    await new Response(result.stream).text();
    await result.done;
    expect(store.calls).toContain("createThread");
  });

  it("an authorisation given as a function starts once, together with the reads, for streams and JSON reads", async () => {
    const { store, server } = setup();
    const { thread } = await create(server, "first");
    const requests = [
      { type: "threads.add_user_message", params: { thread_id: thread.id, input: userInput("again") } },
      { type: "threads.list", params: {} },
      { type: "items.list", params: { thread_id: thread.id } },
      { type: "threads.get_by_id", params: { thread_id: thread.id } },
    ];
    for (const req of requests) {
      store.calls = [];
      store.close();
      let starts = 0;
      let authorise!: () => void;
      const authorised = () => {
        starts++;
        store.calls.push("authorised");
        return new Promise<void>((r) => (authorise = r));
      };
      const pending = server.process(JSON.stringify(req), ctx, { authorised });
      let answered = false;
      void pending.then(() => (answered = true));
      await settle();
      // Started first, with the reads right behind it in the same turn; no answer yet.
      expect(store.calls[0], req.type).toBe("authorised");
      expect(store.calls.length, req.type).toBeGreaterThan(1);
      store.open();
      await settle();
      expect(answered, req.type).toBe(false);
      authorise();
      const result = await pending;
      if (result.kind === "stream") {
        await new Response(result.stream).text();
        await result.done;
      } else expect(result.status, req.type).toBe(200);
      expect(starts, req.type).toBe(1);
    }
  });

  it("a write waits for the authorisation before its first read", async () => {
    const { store, server } = setup();
    const { thread } = await create(server, "first");
    store.calls = [];
    let authorise!: () => void;
    const pending = server.process(JSON.stringify({ type: "threads.delete", params: { thread_id: thread.id } }), ctx, {
      authorised: () => new Promise<void>((r) => (authorise = r)),
    });
    await settle();
    expect(store.calls).toEqual([]);
    authorise();
    expect((await pending).kind).toBe("json");
    expect((await store.loadThreads(10, null, "asc", ctx)).data).toEqual([]);
  });

  it("prepareTurn can refuse a turn with a JSON answer before anything is written", async () => {
    const { store, server } = setup();
    server.refuseTurn = true;
    const answer = await post(server, createReq("hi"));
    expect(answer.status).toBe(429);
    expect(answer.json.code).toBe("turn_quota");
    expect(store.calls).not.toContain("createThread");
    expect(server.seen).toHaveLength(0);
  });

  it("threads.custom_action does not call prepareTurn (no model turn)", async () => {
    const { server } = setup();
    const { thread } = await create(server, "hi");
    const before = server.turnCalls;
    await post(server, { type: "threads.custom_action", params: { thread_id: thread.id, action: { type: "x" } } });
    expect(server.turnCalls).toBe(before);
  });
});

describe("a request write that fails", () => {
  /** Refuses to store user messages whose text says so — after the stream has started. */
  class RefusingStore extends InMemoryStore<Ctx> {
    override async addThreadItem(threadId: string, item: ThreadItem, c: Ctx): Promise<void> {
      if (item.type === "user_message" && JSON.stringify(item.content).includes("refuse me"))
        throw new Error("disk full");
      return super.addThreadItem(threadId, item, c);
    }
  }

  it("threads.create: ends the stream with an error event and leaves no thread", async () => {
    const store = new RefusingStore((c) => c.user_id);
    const refusing = new (class extends ChatKitServer<Ctx> {
      async *respond(thread: ThreadMetadata): AsyncIterable<ThreadStreamEvent> {
        yield {
          type: "thread.item.added",
          item: { type: "assistant_message", id: "m1", thread_id: thread.id, created_at: nowIso(), content: [] },
        };
        yield { type: "thread.item.done", item: assistant(thread.id, "m1", "never stored") };
      }
    })(store);
    const answer = await post(refusing, createReq("refuse me"));
    expect(answer.status).toBe(200);
    expect(answer.events.at(-1)).toMatchObject({ type: "error", code: "stream.error" });
    expect((await store.loadThreads(10, null, "asc", ctx)).data).toEqual([]);
  });

  it("threads.add_user_message: ends the stream with an error event; the reply is not stored", async () => {
    const store = new RefusingStore((c) => c.user_id);
    const server = new (class extends ChatKitServer<Ctx> {
      async *respond(thread: ThreadMetadata): AsyncIterable<ThreadStreamEvent> {
        yield { type: "thread.item.done", item: assistant(thread.id, `m_${nowIso()}`, "reply") };
      }
    })(store);
    const { thread } = await create(server, "fine");
    const answer = await post(server, {
      type: "threads.add_user_message",
      params: { thread_id: thread.id, input: userInput("refuse me") },
    });
    expect(answer.events.at(-1)).toMatchObject({ type: "error" });
    const items = await store.loadThreadItems(thread.id, null, 10, "asc", ctx);
    expect(items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
  });
});
