/**
 * The text-delta lane: a converter handing its text deltas straight to the pipeline gives the
 * client exactly the stream it would get by yielding them, stores the same reply, and keeps the
 * partial text when the client goes away mid-reply.
 */
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { ResponsesStreamConverter } from "./responses";
import { InMemoryStore } from "./store";
import { createReq } from "@/e2e/support/chatkit/fixtures";
import { create, DEFAULT_CTX, makeServer, parseSseStrict, type Ctx } from "@/e2e/support/chatkit/harness";

const message = (text: string) => ({
  type: "message",
  id: "msg_model",
  role: "assistant",
  status: "completed",
  content: [{ type: "output_text", text, annotations: [] }],
});

/** A model reply of `words` deltas, each event delivered on its own turn of the event loop (`paceMs` apart when set). */
function modelReply(words: string[], paceMs = 0): AsyncIterable<ResponseStreamEvent> {
  const text = words.join("");
  const events: Record<string, unknown>[] = [
    { type: "response.output_item.added", item: message("") },
    {
      type: "response.content_part.added",
      item_id: "msg_model",
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    },
    ...words.map((delta) => ({ type: "response.output_text.delta", item_id: "msg_model", content_index: 0, delta })),
    { type: "response.output_text.done", item_id: "msg_model", content_index: 0, text },
    { type: "response.output_item.done", item: message(text) },
  ];
  return (async function* () {
    for (const e of events) {
      await new Promise((r) => setTimeout(r, paceMs));
      yield e as unknown as ResponseStreamEvent;
    }
  })();
}

function serverWith(lane: boolean, words: string[], paceMs = 0) {
  const store = new InMemoryStore<Ctx>((c) => c.user_id);
  const { server } = makeServer({ store });
  server.respondImpl = async function* (thread, _input, ctx, run) {
    const converter = new ResponsesStreamConverter<Ctx>({
      thread,
      store,
      context: ctx,
      recentItems: [],
      textDeltas: lane ? run.textDeltas : undefined,
    });
    yield* converter.convert(modelReply(words, paceMs));
  };
  return { server, store };
}

const WORDS = Array.from({ length: 40 }, (_, i) => `w${i} `);

describe("the text-delta lane", () => {
  it("gives the client the same events in the same order as yielding the deltas", async () => {
    const withLane = await create(serverWith(true, WORDS).server, "hi");
    const yielded = await create(serverWith(false, WORDS).server, "hi");
    const shape = (events: Record<string, unknown>[]) =>
      events.map((e) =>
        JSON.stringify(e)
          .replace(/"(thr|msg|message)_[0-9a-f]+"/g, '"id"')
          .replace(/"created_at":"[^"]+"/g, ""),
      );
    expect(shape(withLane.events)).toEqual(shape(yielded.events));
    const deltas = withLane.events.filter(
      (e) => e.type === "thread.item.updated" && e.update.type.endsWith("text_delta"),
    );
    expect(deltas.map((e) => e.update.delta).join("")).toBe(WORDS.join(""));
  });

  it("stores the whole reply", async () => {
    const { server, store } = serverWith(true, WORDS);
    const { thread } = await create(server, "hi");
    const items = await store.loadThreadItems(thread.id, null, 10, "asc", DEFAULT_CTX);
    const reply = items.data.find((i) => i.type === "assistant_message");
    expect(reply?.type === "assistant_message" && reply.content[0]?.text).toBe(WORDS.join(""));
  });

  it("keeps the text sent so far when the client goes away mid-reply, and sends nothing after", async () => {
    const { server, store } = serverWith(true, WORDS, 2);
    const abort = new AbortController();
    const result = await server.process(JSON.stringify(createReq("hi")), DEFAULT_CTX, { signal: abort.signal });
    if (result.kind !== "stream") throw new Error("expected a stream");
    const reader = result.stream.getReader();
    let raw = "";
    while (!raw.includes('"delta":"w9 "')) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended early");
      raw += new TextDecoder().decode(value);
    }
    abort.abort();
    await reader.cancel();
    await result.done;
    const threadId = parseSseStrict(raw).find((e) => e.type === "thread.created")?.thread.id as string;
    const items = await store.loadThreadItems(threadId, null, 10, "asc", DEFAULT_CTX);
    const kept = items.data.find((i) => i.type === "assistant_message");
    const text = kept?.type === "assistant_message" ? (kept.content[0]?.text ?? "") : "";
    // Everything the client was sent is kept (the lane stopped at the abort; nothing was lost before it).
    expect(text.startsWith(WORDS.slice(0, 10).join(""))).toBe(true);
    expect(text.length).toBeLessThan(WORDS.join("").length);
    expect(items.data.map((i) => i.type)).toContain("sdk_hidden_context");
  });
});
