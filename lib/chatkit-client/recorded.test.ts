/**
 * The reducer against our own server: each request type is sent through this module's client
 * to the real endpoint (fact assistant, Postgres, OpenAI fake), the streamed events are
 * reduced, and the view must equal what `threads.get_by_id` returns afterwards.
 */
import { describe, expect, it } from "vitest";
import type { ThreadItem, WidgetItem } from "@/lib/chatkit/types";
import { POST } from "@/app/chatkit/route";
import { ChatKitHttpError, isAbortError } from "./errors";
import {
  itemsFeedback,
  itemsList,
  threadsDelete,
  threadsGetById,
  threadsList,
  threadsUpdate,
  threadsAddClientToolOutput,
  threadsAddUserMessage,
  threadsCreate,
  threadsCustomAction,
  threadsRetryAfterItem,
} from "./requests";
import { appendItems, applyEvent, applyRequest, emptyThreadView, endStream, threadViewFrom } from "./thread-state";
import { CHATKIT_URL, useLiveChat } from "@/e2e/support/chatkit/live-chat";
import { createChatKitClient } from "./transport";

const live = useLiveChat();

const ofType = <T extends ThreadItem["type"]>(items: ThreadItem[], type: T) =>
  items.filter((i): i is Extract<ThreadItem, { type: T }> => i.type === type);

function factIdOf(widget: WidgetItem): string {
  const match = /"fact_id":"(fact_[0-9a-f]+)"/.exec(JSON.stringify(widget.widget));
  if (!match?.[1]) throw new Error("the card carries no fact id");
  return match[1];
}

describe("the reducer fed streams from our own server", () => {
  it("threads.create: the reply streams into the view, which then equals the stored thread", async () => {
    const { view, events } = await live.run(emptyThreadView(), threadsCreate("Hello there, how does this work?"));
    expect(events.filter((e) => e.type === "thread.item.updated").length).toBeGreaterThan(1);
    expect(view.streaming).toBe(false);
    expect(view.error).toBeNull();
    expect(view.thread?.title).toBe("Hello there, how does this work?");
    expect(view.items.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
    expect(ofType(view.items, "assistant_message")[0]!.content[0]!.text.length).toBeGreaterThan(0);
    await live.expectMatchesServer(view);
  });

  it("threads.add_user_message: a follow-up appends to the same thread", async () => {
    const first = await live.run(emptyThreadView(), threadsCreate("Hello"));
    const { view } = await live.run(first.view, threadsAddUserMessage(first.view.thread!.id, "[deltas:25] go on"));
    expect(view.items.map((i) => i.type)).toEqual([
      "user_message",
      "assistant_message",
      "user_message",
      "assistant_message",
    ]);
    expect(ofType(view.items, "assistant_message")[1]!.content[0]!.text).toMatch(/^w0 w1 .* w24$/);
    await live.expectMatchesServer(view);
  });

  it("a stated fact shows the Save/Discard card, keeps hidden context out, and Save settles the card in place", async () => {
    const created = await live.run(emptyThreadView(), threadsCreate("My name is Ada Łovelace 🦊"));
    const card = ofType(created.view.items, "widget")[0]!;
    expect(JSON.stringify(card.widget)).toContain('"label":"Save"');
    expect(created.view.items.some((i) => i.type === "hidden_context_item")).toBe(false);
    await live.expectMatchesServer(created.view);

    const threadId = created.view.thread!.id;
    const save = threadsCustomAction(threadId, card.id, { type: "fact.save", payload: { fact_id: factIdOf(card) } });
    const saved = await live.run(created.view, save);
    expect(saved.events.some((e) => e.type === "thread.item.replaced")).toBe(true);
    const settled = saved.view.items.find((i) => i.id === card.id) as WidgetItem;
    expect(JSON.stringify(settled.widget)).toContain("Saved");
    expect(JSON.stringify(settled.widget)).not.toContain("onClickAction");
    // The card stays where it was; the items around it are the very same objects.
    expect(saved.view.items.indexOf(settled)).toBe(created.view.items.indexOf(card));
    expect(saved.view.items[0]).toBe(created.view.items[0]);
    await live.expectMatchesServer(saved.view);
  });

  it("Discard on the card settles it as discarded", async () => {
    const created = await live.run(emptyThreadView(), threadsCreate("I live in Oslo"));
    const card = ofType(created.view.items, "widget")[0]!;
    const discard = threadsCustomAction(created.view.thread!.id, card.id, {
      type: "fact.discard",
      payload: { fact_id: factIdOf(card) },
    });
    const { view } = await live.run(created.view, discard);
    expect(JSON.stringify((view.items.find((i) => i.id === card.id) as WidgetItem).widget)).toContain("Discarded");
    await live.expectMatchesServer(view);
  });

  it("a refused card action ends with a non-retryable error event and changes no item", async () => {
    const created = await live.run(emptyThreadView(), threadsCreate("I like chess"));
    const card = ofType(created.view.items, "widget")[0]!;
    const bad = threadsCustomAction(created.view.thread!.id, card.id, { type: "fact.save", payload: { fact_id: 42 } });
    const { view } = await live.run(created.view, bad);
    expect(view.error).toMatchObject({ allowRetry: false });
    expect(view.items).toEqual(created.view.items);
    await live.expectMatchesServer(view);
  });

  it("switch_theme: the pending client tool call is surfaced, and its output completes the turn", async () => {
    const created = await live.run(emptyThreadView(), threadsCreate("Please switch to dark mode"));
    expect(created.view.pendingClientToolCall).toMatchObject({
      name: "switch_theme",
      status: "pending",
      arguments: { theme: "dark" },
    });
    await live.expectMatchesServer(created.view);

    const output = threadsAddClientToolOutput(created.view.thread!.id, { success: true, theme: "dark" });
    const { view } = await live.run(created.view, output);
    expect(view.pendingClientToolCall).toBeNull();
    expect(ofType(view.items, "client_tool_call")[0]).toMatchObject({
      status: "completed",
      output: { success: true, theme: "dark" },
    });
    expect(ofType(view.items, "assistant_message").at(-1)!.content[0]!.text).toMatch(/dark/);
    await live.expectMatchesServer(view);
  });

  it("a model failure ends with a retryable error, and threads.retry_after_item reruns the turn", async () => {
    // Every attempt of the next model call fails (the SDK's own retries included); the retry succeeds.
    live.fake.get().failNext({ fault: "http500", path: "/responses", times: 10 });
    const failed = await live.run(emptyThreadView(), threadsCreate("[deltas:5] Tell me something"));
    live.fake.get().clearFaults();
    expect(failed.view.error).toMatchObject({ allowRetry: true });
    await live.expectMatchesServer(failed.view);

    const userMessage = ofType(failed.view.items, "user_message").at(-1)!;
    const retried = await live.run(failed.view, threadsRetryAfterItem(failed.view.thread!.id, userMessage.id));
    expect(retried.view.error).toBeNull();
    expect(retried.view.items.at(-1)).toMatchObject({ type: "assistant_message" });
    expect(ofType(retried.view.items, "assistant_message").at(-1)!.content[0]!.text).toBe("w0 w1 w2 w3 w4");
    await live.expectMatchesServer(retried.view);
  });

  it("threads.retry_after_item drops the replies after the message, as the server does without saying so", async () => {
    const first = await live.run(emptyThreadView(), threadsCreate("[deltas:3] one"));
    const second = await live.run(first.view, threadsAddUserMessage(first.view.thread!.id, "[deltas:4] two"));
    const firstMessage = ofType(second.view.items, "user_message")[0]!;
    const retried = await live.run(second.view, threadsRetryAfterItem(second.view.thread!.id, firstMessage.id));
    expect(retried.view.items.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
    expect(ofType(retried.view.items, "assistant_message")[0]!.content[0]!.text).toBe("w0 w1 w2");
    await live.expectMatchesServer(retried.view);
  });

  it("a model cut mid-reply is the server's clean end with an error event, not a cut connection", async () => {
    const { view } = await live.run(emptyThreadView(), threadsCreate("[deltas:40] [fault:cut]"));
    expect(view.error).toMatchObject({ code: "custom", allowRetry: true, message: expect.any(String) });
    await live.expectMatchesServer(view);
  });
});

describe("JSON requests through the client", () => {
  it("a thread longer than one page opens in full: threads.get_by_id, then items.list pages via appendItems", async () => {
    let { view } = await live.run(emptyThreadView(), threadsCreate("[deltas:1] turn 0"));
    const threadId = view.thread!.id;
    for (let turn = 1; turn < 12; turn++) {
      ({ view } = await live.run(view, threadsAddUserMessage(threadId, `[deltas:1] turn ${turn}`)));
    }
    expect(view.items).toHaveLength(24);
    const client = live.client();
    let opened = threadViewFrom(await client.json(threadsGetById(threadId)));
    expect(opened.items.length).toBeLessThan(24);
    expect(opened.hasMoreItems).toBe(true);
    while (opened.hasMoreItems) {
      const page = await client.json(itemsList(threadId, { after: opened.itemsAfter, order: "asc", limit: 5 }));
      opened = appendItems(opened, page);
    }
    expect(opened.items).toEqual(view.items);
    expect(opened.itemsAfter).toBeNull();
  });

  it("threads.list pages newest first with limit/after, and threads.update renames what the view shows", async () => {
    const a = await live.run(emptyThreadView(), threadsCreate("[deltas:1] first"));
    const b = await live.run(emptyThreadView(), threadsCreate("[deltas:1] second"));
    const c = await live.run(emptyThreadView(), threadsCreate("[deltas:1] third"));
    const ids = [c, b, a].map((r) => r.view.thread!.id);
    const client = live.client();
    const page1 = await client.json(threadsList({ limit: 2 }));
    expect(page1.data.map((t) => t.id)).toEqual(ids.slice(0, 2));
    expect(page1.has_more).toBe(true);
    const page2 = await client.json(threadsList({ limit: 2, after: page1.after }));
    expect(page2.data[0]!.id).toBe(ids[2]);

    const rename = threadsUpdate(a.view.thread!.id, "Renamed ✓");
    const renamedView = applyRequest(a.view, rename);
    const answer = await client.json(rename);
    expect(answer.title).toBe("Renamed ✓");
    expect(renamedView.thread!.title).toBe("Renamed ✓");
    await live.expectMatchesServer(renamedView);
  });

  it("items.list pages a thread's items, items.feedback answers {}, threads.delete removes the thread", async () => {
    const first = await live.run(emptyThreadView(), threadsCreate("[deltas:2] one"));
    const { view } = await live.run(first.view, threadsAddUserMessage(first.view.thread!.id, "[deltas:2] two"));
    const threadId = view.thread!.id;
    const client = live.client();
    const newest = await client.json(itemsList(threadId, { limit: 3 }));
    expect(newest.data.map((i) => i.id)).toEqual(
      view.items
        .slice(-3)
        .reverse()
        .map((i) => i.id),
    );
    const rest = await client.json(itemsList(threadId, { limit: 3, after: newest.after }));
    expect(rest.data.map((i) => i.id)).toEqual([view.items[0]!.id]);
    const oldestFirst = await client.json(itemsList(threadId, { order: "asc" }));
    expect(oldestFirst.data).toEqual(view.items);

    const reply = ofType(view.items, "assistant_message").at(-1)!;
    expect(await client.json(itemsFeedback(threadId, [reply.id], "positive"))).toEqual({});

    expect(await client.json(threadsDelete(threadId))).toEqual({});
    const gone = await client.json(threadsGetById(threadId)).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ChatKitHttpError);
    expect(gone).toMatchObject({ status: 404, code: "not_found" });
  });

  it("Stop (aborting the request) ends the stream with an AbortError; the server keeps the partial reply", async () => {
    const controller = new AbortController();
    const req = threadsCreate("[slow:30][deltas:60] a long story");
    let view = applyRequest(emptyThreadView(), req);
    let deltas = 0;
    const caught = await (async () => {
      for await (const e of live.client().stream(req, { signal: controller.signal })) {
        view = applyEvent(view, e);
        if (e.type === "thread.item.updated" && e.update.type.endsWith("text_delta") && ++deltas === 5) {
          controller.abort();
        }
      }
    })().catch((e: unknown) => e);
    expect(isAbortError(caught)).toBe(true);
    view = endStream(view);
    const shown = ofType(view.items, "assistant_message")[0]!.content[0]!.text;
    expect(shown).toMatch(/^w0 w1 w2 w3 w4/);
    // The server saves what it had when the client left (possibly a delta or two more).
    let stored = "";
    for (let i = 0; i < 100 && !stored; i++) {
      const thread = await live.load(view.thread!.id);
      stored = ofType(thread.items.data, "assistant_message")[0]?.content[0]?.text ?? "";
      if (!stored) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored.startsWith(shown)).toBe(true);
  });

  it("refusals arrive as ChatKitHttpError with the server's status, code and detail", async () => {
    const anonymous = createChatKitClient({
      url: CHATKIT_URL,
      fetch: async (input, init) => POST(new Request(input, init), undefined),
    });
    const unauthenticated = await anonymous.json(threadsList()).catch((e: unknown) => e);
    expect(unauthenticated).toMatchObject({ name: "ChatKitHttpError", status: 401 });
    const streamRefused = await anonymous
      .stream(threadsCreate("hi"))
      .next()
      .catch((e: unknown) => e);
    expect(streamRefused).toMatchObject({ status: 401 });

    const client = live.client();
    const invalid = await client.json(threadsList({ limit: 5000 })).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, code: "validation_error" });
    expect((invalid as ChatKitHttpError).issues?.[0]?.path).toBe("params.limit");
    const missing = await client
      .stream(threadsAddUserMessage("thr_missing", "hi"))
      .next()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: "not_found", detail: expect.any(String) });
  });
});
