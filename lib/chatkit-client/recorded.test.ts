/**
 * The reducer against our own server: each request type is sent through this module's client
 * to the real endpoint (fact assistant, Postgres, OpenAI fake), the streamed events are
 * reduced, and the view must equal what `threads.get_by_id` returns afterwards.
 */
import { describe, expect, it } from "vitest";
import type { ThreadItem, WidgetItem } from "@/lib/chatkit/types";
import {
  threadsAddClientToolOutput,
  threadsAddUserMessage,
  threadsCreate,
  threadsCustomAction,
  threadsRetryAfterItem,
} from "./requests";
import { emptyThreadView } from "./thread-state";
import { useLiveChat } from "./testing/live-chat";

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
