/** The streaming extensions beyond the reference: write coalescing, handleStreamError, liveContextEvents. */
import { describe, expect, it } from "vitest";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { CustomStreamError } from "./errors";
import { ResponsesStreamConverter } from "./responses";
import { InMemoryStore, nowIso } from "./store";
import { createReq } from "@/e2e/support/chatkit/fixtures";
import {
  assistant,
  create,
  DEFAULT_CTX,
  makeServer,
  parseSseStrict,
  TestServer,
  type Ctx,
} from "@/e2e/support/chatkit/harness";
import type { ThreadItem, ThreadMetadata, ThreadStreamEvent } from "./types";

const ctx = DEFAULT_CTX;

describe("streaming extensions", () => {
  it("frames produced in one turn of the event loop reach the client as one chunk", async () => {
    const { server } = makeServer();
    server.respondImpl = async function* (thread) {
      yield { type: "thread.item.added", item: { ...assistant(thread.id, "m1", ""), content: [] } };
      for (let i = 0; i < 50; i++) {
        yield {
          type: "thread.item.updated",
          item_id: "m1",
          update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: `w${i} ` },
        };
      }
    };
    const result = await server.process(JSON.stringify(createReq("hi")), ctx);
    if (result.kind !== "stream") throw new Error("expected a stream");
    const reader = result.stream.getReader();
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      chunks.push(decoder.decode(r.value));
    }
    const events = parseSseStrict(chunks.join(""));
    expect(events.filter((e) => e.type === "thread.item.updated")).toHaveLength(50);
    expect(chunks.length).toBeLessThan(5); // 54 frames, a handful of writes
    for (const chunk of chunks) expect(chunk.endsWith("\n\n")).toBe(true); // never a frame split across chunks
  });

  it("handleStreamError's items are stored and sent before the error event", async () => {
    class KeepingServer extends TestServer {
      seen: ThreadItem[] = [];
      override async handleStreamError(_t: ThreadMetadata, pending: ThreadItem[]): Promise<ThreadItem[]> {
        this.seen = pending;
        return pending.filter((i) => i.type === "assistant_message");
      }
    }
    const store = new InMemoryStore<Ctx>((c) => c.user_id);
    const server = new KeepingServer(store, null);
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.added",
        item: { ...assistant(thread.id, "m1", ""), content: [{ type: "output_text", text: "", annotations: [] }] },
      };
      yield {
        type: "thread.item.updated",
        item_id: "m1",
        update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "partial" },
      };
      throw new CustomStreamError("model went away", { allowRetry: true });
    };
    const { events, thread } = await create(server);
    const doneIndex = events.findIndex((e) => e.type === "thread.item.done" && e.item.id === "m1");
    const errorIndex = events.findIndex((e) => e.type === "error");
    expect(doneIndex).toBeGreaterThan(-1);
    expect(doneIndex).toBeLessThan(errorIndex);
    expect(events[errorIndex]).toMatchObject({ code: "custom", message: "model went away", allow_retry: true });
    expect(server.seen.map((i) => i.id)).toEqual(["m1"]);
    const stored = await store.loadItem(thread.id, "m1", ctx);
    expect(stored).toMatchObject({ type: "assistant_message", content: [{ text: "partial" }] });
  });

  it("by default a failing producer stores nothing it had pending (the reference behaviour)", async () => {
    const { server, store } = makeServer();
    server.respondImpl = async function* (thread) {
      yield {
        type: "thread.item.added",
        item: { ...assistant(thread.id, "m1", ""), content: [{ type: "output_text", text: "x", annotations: [] }] },
      };
      throw new Error("boom");
    };
    const { events, thread } = await create(server);
    expect(events.some((e) => e.type === "thread.item.done" && e.item.id === "m1")).toBe(false);
    await expect(store.loadItem(thread.id, "m1", ctx)).rejects.toThrow();
  });

  it("liveContextEvents: false still emits pushed events, merged between model events", async () => {
    const store = new InMemoryStore<Ctx>();
    const thread: ThreadMetadata = { id: "thr_1", created_at: nowIso(), status: { type: "active" }, metadata: {} };
    const conv = new ResponsesStreamConverter<Ctx>({
      thread,
      store,
      context: ctx,
      recentItems: [],
      liveContextEvents: false,
    });
    async function* model() {
      yield {
        type: "response.output_text.delta",
        item_id: "m",
        content_index: 0,
        delta: "a",
      } as unknown as ResponseStreamEvent;
      conv.stream({ type: "progress_update", text: "working" });
      yield {
        type: "response.output_text.delta",
        item_id: "m",
        content_index: 0,
        delta: "b",
      } as unknown as ResponseStreamEvent;
    }
    const out: ThreadStreamEvent[] = [];
    for await (const e of conv.convert(model())) out.push(e);
    // Merged at the next step of the loop (the model's next event is already being fetched).
    expect(out.map((e) => e.type)).toEqual(["thread.item.updated", "progress_update", "thread.item.updated"]);
  });
});
