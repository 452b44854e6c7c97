import { and, asc, eq, sql } from "drizzle-orm";
import { userInput } from "@/e2e/support/chatkit/fixtures";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { chatkitFeedback, chatkitItems, chatkitThreads, facts } from "@/db/schema";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { readSse, readUntil, type SseEvent } from "@/e2e/support/sse";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { withEnv } from "@/e2e/support/env";
import { GET as listFacts } from "@/app/facts/route";
import { POST as restDiscard } from "@/app/facts/[factId]/discard/route";
import { decideFact } from "@/lib/assistant/fact-decisions";
import { chatStore } from "@/lib/assistant/store";
import { POST } from "./route";

useTestDatabase();
const fake = useOpenAIFake({ OPENAI_TIMEOUT_MS: "1500", OPENAI_STREAM_IDLE_MS: "600" });

type Json = Record<string, unknown>;

function post(user: TestUser | undefined, body: unknown, signal?: AbortSignal) {
  return POST(
    new Request("http://app.test/chatkit", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json", ...user?.headers },
      signal,
    }),
    undefined,
  );
}

async function create(user: TestUser, text: string): Promise<{ events: SseEvent[]; threadId: string }> {
  const events = await readSse(await post(user, { type: "threads.create", params: { input: userInput(text) } }));
  const created = events.find((e) => e.type === "thread.created") as { thread: { id: string } } | undefined;
  if (!created) throw new Error(`no thread.created in ${JSON.stringify(events)}`);
  return { events, threadId: created.thread.id };
}

async function getThread(user: TestUser, threadId: string) {
  const res = await post(user, { type: "threads.get_by_id", params: { thread_id: threadId } });
  expect(res.status).toBe(200);
  return (await res.json()) as { title?: string; items: { data: Json[] } };
}

const doneItems = (events: SseEvent[]) =>
  events.filter((e) => e.type === "thread.item.done").map((e) => (e as unknown as { item: Json }).item);

function widgetOf(events: SseEvent[]) {
  const widget = doneItems(events).find((i) => i.type === "widget");
  if (!widget) throw new Error(`no widget in ${JSON.stringify(events)}`);
  return widget as { id: string; widget: Json };
}

function factIdOf(widget: { widget: Json }): string {
  const match = /"fact_id":"(fact_[0-9a-f]+)"/.exec(JSON.stringify(widget.widget));
  if (!match?.[1]) throw new Error("widget has no fact id");
  return match[1];
}

async function savedFacts(user: TestUser) {
  const res = await listFacts(new Request("http://app.test/facts", { headers: user.headers }), undefined);
  return ((await res.json()) as { facts: { id: string; text: string }[] }).facts;
}

const errorEvent = (events: SseEvent[]) => events.find((e) => e.type === "error") as Json | undefined;

describe("POST /chatkit with the fact assistant", () => {
  it("a first message creates a thread titled from the start and streams the model's reply", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "Hello there, how does this work?");
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["thread.created", "thread.item.done", "stream_options"]);
    expect(types.filter((t) => t === "thread.item.updated").length).toBeGreaterThan(1);
    const reply = doneItems(events).find((i) => i.type === "assistant_message") as { content: { text: string }[] };
    expect(reply.content[0]!.text.length).toBeGreaterThan(0);
    // The title goes out with thread.created and is stored with the thread: no update follows.
    expect(events[0]).toMatchObject({ thread: { title: "Hello there, how does this work?" } });
    expect(types).not.toContain("thread.updated");
    const thread = await getThread(user, threadId);
    expect(thread.title).toBe("Hello there, how does this work?");
    expect(thread.items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
  });

  it("a cross-site write is refused with 403 JSON before the caller or the body is looked at", async () => {
    const user = await createTestUser();
    const threadsBefore = await getDb().then((db) =>
      db.select().from(chatkitThreads).where(eq(chatkitThreads.userId, user.id)),
    );
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "http://sibling.app.test", "sec-fetch-site": "same-site" },
      { origin: "null" },
    ];
    for (const headers of attempts) {
      const res = await POST(
        new Request("http://app.test/chatkit", {
          method: "POST",
          body: JSON.stringify({ type: "threads.create", params: { input: userInput("planted") } }),
          headers: { "content-type": "text/plain", cookie: "next-auth.session-token=x", ...headers },
        }),
        undefined,
      );
      expect(res.status).toBe(403);
      expect(((await res.json()) as Json).code).toBe("cross_site_request_refused");
    }
    const threadsAfter = await getDb().then((db) =>
      db.select().from(chatkitThreads).where(eq(chatkitThreads.userId, user.id)),
    );
    expect(threadsAfter.length).toBe(threadsBefore.length);
  });

  it("answers with SSE headers that defeat buffering", async () => {
    const user = await createTestUser();
    const res = await post(user, { type: "threads.create", params: { input: userInput("hi") } });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    await res.text();
  });

  it("a stated fact produces a pending fact and a Save/Discard card, with hidden context kept from the stream", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "My name is Kaz");
    const widget = widgetOf(events);
    const json = JSON.stringify(widget.widget);
    expect(json).toContain('"label":"Save"');
    expect(json).toContain('"label":"Discard"');
    expect(json).toContain("Kaz");
    expect(doneItems(events).some((i) => i.type === "hidden_context_item")).toBe(false);
    const db = await getDb();
    const rows = await db.select().from(facts).where(eq(facts.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "pending", threadId, widgetItemId: widget.id });
    const hidden = await db
      .select()
      .from(chatkitItems)
      .where(and(eq(chatkitItems.threadId, threadId), eq(chatkitItems.type, "hidden_context_item")));
    expect(hidden).toHaveLength(1);
    // The tool loop continued: the model acknowledged the tool output in the same turn.
    const texts = doneItems(events).filter((i) => i.type === "assistant_message");
    expect(texts.length).toBeGreaterThan(0);
    expect(await savedFacts(user)).toEqual([]);
  });

  it("Save on the card saves the fact, settles the card without buttons, and acting twice changes nothing", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "I live in Oslo");
    const widget = widgetOf(events);
    const factId = factIdOf(widget);
    const act = async (type: string) =>
      readSse(
        await post(user, {
          type: "threads.custom_action",
          params: { thread_id: threadId, item_id: widget.id, action: { type, payload: { fact_id: factId } } },
        }),
      );
    const first = await act("fact.save");
    const replaced = first.find((e) => e.type === "thread.item.replaced") as unknown as {
      item: { id: string; widget: Json };
    };
    expect(replaced.item.id).toBe(widget.id);
    expect(JSON.stringify(replaced.item.widget)).not.toContain("onClickAction");
    expect(JSON.stringify(replaced.item.widget)).toContain("Saved");
    expect((await savedFacts(user)).map((f) => f.id)).toEqual([factId]);

    await act("fact.discard"); // a replayed or stale click
    expect((await savedFacts(user)).map((f) => f.id)).toEqual([factId]);
    const thread = await getThread(user, threadId);
    const stored = thread.items.data.find((i) => i.id === widget.id) as { widget: Json };
    expect(JSON.stringify(stored.widget)).toContain("Saved"); // survives a reload
  });

  it("Discard through REST settles the same card in the thread", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "I am a nurse");
    const widget = widgetOf(events);
    const factId = factIdOf(widget);
    const res = await restDiscard(
      new Request(`http://app.test/facts/${factId}/discard`, { method: "POST", headers: user.headers }),
      { params: Promise.resolve({ factId }) },
    );
    expect(res.status).toBe(200);
    const thread = await getThread(user, threadId);
    const stored = thread.items.data.find((i) => i.id === widget.id) as { widget: Json };
    expect(JSON.stringify(stored.widget)).toContain("Discarded");
    expect(JSON.stringify(stored.widget)).not.toContain("onClickAction");
    expect(await savedFacts(user)).toEqual([]);
  });

  it("Save and Discard racing on one fact leave its card as the row ends, whichever card write lands last", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "I am a pilot");
    const widget = widgetOf(events);
    const factId = factIdOf(widget);
    // Hold Save's card write until Discard has changed the row and written its own card.
    let reachSavedWrite!: () => void;
    const savedWriteReached = new Promise<void>((resolve) => (reachSavedWrite = resolve));
    let releaseSavedWrite!: () => void;
    const savedWriteReleased = new Promise<void>((resolve) => (releaseSavedWrite = resolve));
    const saveItem = chatStore.saveItem.bind(chatStore);
    const spy = vi.spyOn(chatStore, "saveItem").mockImplementation(async (id, item, ctx) => {
      if (
        item.type === "widget" &&
        JSON.stringify(item.widget).includes('"label":"Saved"') &&
        spy.mock.calls.length === 1
      ) {
        reachSavedWrite();
        await savedWriteReleased;
      }
      return saveItem(id, item, ctx);
    });
    try {
      const saving = decideFact(user.id, factId, "saved");
      await savedWriteReached;
      await decideFact(user.id, factId, "discarded");
      releaseSavedWrite();
      await saving;
    } finally {
      spy.mockRestore();
    }
    const [row] = await (await getDb()).select().from(facts).where(eq(facts.id, factId));
    expect(row?.status).toBe("discarded");
    const thread = await getThread(user, threadId);
    const card = JSON.stringify((thread.items.data.find((i) => i.id === widget.id) as { widget: Json }).widget);
    expect(card).toContain("Discarded");
    expect(card).not.toContain('"label":"Saved"');
  });

  it("saved facts reach the model's instructions in a later thread", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "I like green tea");
    const widget = widgetOf(events);
    await readSse(
      await post(user, {
        type: "threads.custom_action",
        params: {
          thread_id: threadId,
          item_id: widget.id,
          action: { type: "fact.save", payload: { fact_id: factIdOf(widget) } },
        },
      }),
    );
    fake.get().clearRequests();
    const later = await create(user, "What do you know about me?");
    const sent = fake.get().requests("/responses");
    const body = sent.at(-1)!.body as { instructions: string };
    expect(body.instructions).toContain("Saved facts about this person");
    expect(body.instructions).toMatch(/green tea/i);
    const reply = doneItems(later.events).find((i) => i.type === "assistant_message") as {
      content: { text: string }[];
    };
    expect(reply.content[0]!.text).toMatch(/green tea/i);
  });

  it("switch_theme pauses the turn for the browser and resumes on the client tool output", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "Please switch to dark mode");
    const call = doneItems(events).find((i) => i.type === "client_tool_call") as Json;
    expect(call).toMatchObject({ name: "switch_theme", status: "pending", arguments: { theme: "dark" } });
    const resumed = await readSse(
      await post(user, {
        type: "threads.add_client_tool_output",
        params: { thread_id: threadId, result: { success: true, theme: "dark" } },
      }),
    );
    const reply = doneItems(resumed).find((i) => i.type === "assistant_message") as { content: { text: string }[] };
    expect(reply.content[0]!.text).toMatch(/dark/);
    const lastCall = fake.get().requests("/responses").at(-1)!.body as { input: Json[] };
    expect(lastCall.input.some((i) => i.type === "function_call_output")).toBe(true);
    const thread = await getThread(user, threadId);
    expect(thread.items.data.find((i) => i.type === "client_tool_call")).toMatchObject({ status: "completed" });
  });

  it("stop mid-stream keeps the partial reply and records the cancellation for the model", async () => {
    const user = await createTestUser();
    const controller = new AbortController();
    const res = await post(
      user,
      { type: "threads.create", params: { input: userInput("[slow:40][deltas:60] tell me") } },
      controller.signal,
    );
    const events = await readUntil(
      res,
      controller,
      (evs) => evs.filter((e) => e.type === "thread.item.updated").length >= 4,
    );
    const threadId = (events[0] as unknown as { thread: { id: string } }).thread.id;
    const db = await getDb();
    let rows: { type: string; data: Json }[] = [];
    for (let i = 0; i < 200; i++) {
      rows = await db
        .select({ type: chatkitItems.type, data: chatkitItems.data })
        .from(chatkitItems)
        .where(eq(chatkitItems.threadId, threadId))
        .orderBy(asc(chatkitItems.createdAt), asc(chatkitItems.seq));
      if (rows.some((r) => r.type === "sdk_hidden_context")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows.map((r) => r.type)).toEqual(["user_message", "assistant_message", "sdk_hidden_context"]);
    const partial = rows[1]!.data as { content: { text: string }[] };
    expect(partial.content[0]!.text.length).toBeGreaterThan(0);
    const requestsBefore = fake.get().requests("/responses").length;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.get().requests("/responses").length).toBe(requestsBefore); // nothing new started
  });

  for (const fault of ["http500", "http429", "cut", "malformed", "failed", "error", "stall", "hang"]) {
    it(`a model fault (${fault}) ends the turn with a retryable error event`, async () => {
      const user = await createTestUser();
      const { events, threadId } = await create(user, `Tell me something [fault:${fault}]`);
      expect(errorEvent(events)).toMatchObject({ type: "error", allow_retry: true });
      const thread = await getThread(user, threadId);
      expect(thread.items.data[0]).toMatchObject({ type: "user_message" });
      for (const item of thread.items.data.filter((i) => i.type === "assistant_message")) {
        expect((item as { content: { text: string }[] }).content[0]!.text.trim()).not.toBe("");
      }
    });
  }

  it("a turn that outlives its deadline ends with a retryable error and keeps the partial reply", async () => {
    const user = await createTestUser();
    const restore = withEnv({ CHATKIT_TURN_DEADLINE_SECONDS: "1" });
    try {
      // 400 deltas 50 ms apart would take 20 s; the 1 s deadline stops the turn long before.
      const { events, threadId } = await create(user, "[slow:50][deltas:400] tell me");
      expect(errorEvent(events)).toEqual({
        type: "error",
        code: "custom",
        message: "This answer took too long and was stopped. Please try again.",
        allow_retry: true,
      });
      const thread = await getThread(user, threadId);
      expect(thread.items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
      const partial = thread.items.data[1] as { content: { text: string }[] };
      expect(partial.content[0]!.text).toMatch(/^w0 w1/);
      expect(partial.content[0]!.text).not.toContain("w399");
    } finally {
      restore();
    }
  });

  it("a connection cut mid-stream keeps the partial text as a finished message", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "[deltas:40] [slow:5] [fault:cut]");
    expect(errorEvent(events)).toMatchObject({ allow_retry: true });
    const thread = await getThread(user, threadId);
    const partial = thread.items.data.find((i) => i.type === "assistant_message") as
      { content: { text: string }[] } | undefined;
    expect(partial?.content[0]?.text).toMatch(/^w0 w1/);
  });

  for (const fault of ["failed-midway", "error-midway"]) {
    it(`a model failure after part of the reply (${fault}) keeps that part and ends with a retryable error`, async () => {
      const user = await createTestUser();
      const { events, threadId } = await create(user, `[deltas:10] [fault:${fault}]`);
      const deltas = events.filter(
        (e) => (e as { update?: { type?: string } }).update?.type === "assistant_message.content_part.text_delta",
      );
      expect(deltas.length).toBeGreaterThan(0); // the user saw part of the answer stream in
      expect(errorEvent(events)).toMatchObject({ type: "error", allow_retry: true });
      expect(events.findIndex((e) => e.type === "error")).toBeGreaterThan(events.indexOf(deltas.at(-1)!));
      const thread = await getThread(user, threadId);
      expect(thread.items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
      const partial = (thread.items.data[1] as { content: { text: string }[] }).content[0]!.text;
      expect(partial).toMatch(/^w0 w1/);
      expect(partial).not.toContain("w9");
    });
  }

  it("a reasoning model's reasoning item before the answer does not disturb the turn", async () => {
    const user = await createTestUser();
    const restore = withEnv({ OPENAI_MODEL: "gpt-5-mini" });
    try {
      const { events, threadId } = await create(user, "Tell me about tides");
      expect(errorEvent(events)).toBeUndefined();
      const output = fake.get().requests("/responses").at(-1);
      expect(output?.body).toMatchObject({ model: "gpt-5-mini" });
      const reply = doneItems(events).find((i) => i.type === "assistant_message") as { content: { text: string }[] };
      expect(reply.content[0]!.text).toContain("tides");
      const thread = await getThread(user, threadId);
      const types = thread.items.data.map((i) => i.type);
      expect(types[0]).toBe("user_message");
      expect(types.at(-1)).toBe("assistant_message");
      expect(types.filter((t) => t === "assistant_message")).toHaveLength(1);
    } finally {
      restore();
    }
  });

  it("without OPENAI_API_KEY a message gets a clear error event while threads stay readable", async () => {
    const user = await createTestUser();
    const restore = withEnv({ OPENAI_API_KEY: undefined });
    try {
      const { events, threadId } = await create(user, "Hello?");
      expect(errorEvent(events)).toMatchObject({ code: "custom", allow_retry: false });
      expect(String(errorEvent(events)!.message)).toContain("OPENAI_API_KEY");
      const list = await post(user, { type: "threads.list", params: {} });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { data: { id: string }[] }).data.map((t) => t.id)).toContain(threadId);
      expect((await getThread(user, threadId)).items.data).toHaveLength(1);
    } finally {
      restore();
    }
  });

  it("another user's thread, card and facts are out of reach", async () => {
    const alice = await createTestUser();
    const mallory = await createTestUser();
    const { events, threadId } = await create(alice, "My name is Alice");
    const widget = widgetOf(events);
    const factId = factIdOf(widget);
    const foreign = [
      { type: "threads.get_by_id", params: { thread_id: threadId } },
      { type: "items.list", params: { thread_id: threadId } },
      { type: "threads.add_user_message", params: { thread_id: threadId, input: userInput("hi") } },
      {
        type: "threads.custom_action",
        params: {
          thread_id: threadId,
          item_id: widget.id,
          action: { type: "fact.save", payload: { fact_id: factId } },
        },
      },
      { type: "threads.delete", params: { thread_id: threadId } },
    ];
    for (const body of foreign) expect((await post(mallory, body)).status).toBe(404);
    // Mallory's own card carrying Alice's fact id changes nothing.
    const own = await create(mallory, "My name is Mallory");
    const ownWidget = widgetOf(own.events);
    const hijack = await readSse(
      await post(mallory, {
        type: "threads.custom_action",
        params: {
          thread_id: own.threadId,
          item_id: ownWidget.id,
          action: { type: "fact.save", payload: { fact_id: factId } },
        },
      }),
    );
    expect(errorEvent(hijack)).toMatchObject({ code: "custom" });
    expect(await savedFacts(alice)).toEqual([]);
    expect(await savedFacts(mallory)).toEqual([]);
  });

  it("a card action with a malformed payload is refused with an error event and changes nothing", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "I like chess");
    const widget = widgetOf(events);
    for (const action of [
      { type: "fact.save" },
      { type: "fact.save", payload: { fact_id: 42 } },
      { type: "fact.explode", payload: { fact_id: factIdOf(widget) } },
      { type: "fact.save", payload: { fact_id: "x".repeat(10_000) } },
    ]) {
      const out = await readSse(
        await post(user, {
          type: "threads.custom_action",
          params: { thread_id: threadId, item_id: widget.id, action },
        }),
      );
      expect(errorEvent(out)).toMatchObject({ type: "error", allow_retry: false });
    }
    expect(await savedFacts(user)).toEqual([]);
  });

  it("feedback on the reply is recorded per item, the latest verdict wins, and unknown items are ignored", async () => {
    const user = await createTestUser();
    const { events, threadId } = await create(user, "Hello");
    const reply = doneItems(events).find((i) => i.type === "assistant_message") as { id: string };
    const feedback = (kind: string, ids: string[]) =>
      post(user, { type: "items.feedback", params: { thread_id: threadId, item_ids: ids, kind } });
    expect((await feedback("negative", [reply.id, "msg_nope"])).status).toBe(200);
    const res = await feedback("positive", [reply.id]);
    expect(await res.json()).toEqual({});
    const db = await getDb();
    const rows = await db.select().from(chatkitFeedback).where(eq(chatkitFeedback.threadId, threadId));
    expect(rows.map((r) => [r.itemId, r.kind])).toEqual([[reply.id, "positive"]]);
    expect((await feedback("positive", [])).status).toBe(200);
    expect((await feedback("meh", [reply.id])).status).toBe(422);
    const stranger = await createTestUser();
    const foreign = await post(stranger, {
      type: "items.feedback",
      params: { thread_id: threadId, item_ids: [reply.id], kind: "negative" },
    });
    expect(foreign.status).toBe(404);
  });

  it("a first message the database cannot hold (a NUL character) gets a 400 and leaves no empty thread", async () => {
    const user = await createTestUser();
    const res = await post(user, { type: "threads.create", params: { input: userInput("hello\u0000there") } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).code).toBe("unsupported_characters");
    const list = (await (await post(user, { type: "threads.list", params: {} })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });

  it("malformed, oversized and unauthenticated requests get 4xx JSON answers", async () => {
    const user = await createTestUser();
    const cases: [unknown, number][] = [
      ["{not json", 400],
      ["", 400],
      [{ type: "threads.nope", params: {} }, 422],
      [{ type: "threads.create" }, 422],
      [{ type: "threads.create", params: { input: { content: "text" } } }, 422],
      [{ type: "threads.get_by_id", params: { thread_id: "thr_missing" } }, 404],
      [{ type: "threads.add_client_tool_output", params: { thread_id: "thr_missing", result: {} } }, 404],
      [JSON.stringify({ type: "threads.list", params: {}, pad: "x".repeat(9 * 1024 * 1024) }), 413],
    ];
    for (const [body, status] of cases) {
      const res = await post(user, body);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(((await res.json()) as Json).detail).toEqual(expect.any(String));
    }
    const anonymous = await post(undefined, { type: "threads.list", params: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
  });
  it("a token revoked since it was issued (or its user deleted) gets a 401: no thread, no model call, even for oversized or broken bodies", async () => {
    const user = await createTestUser();
    const gone = await createTestUser();
    const db = await getDb();
    await db.execute(sql`update users set token_version = token_version + 1 where id = ${user.id}`);
    await db.execute(sql`delete from users where id = ${gone.id}`);
    fake.get().clearRequests();
    for (const who of [user, gone]) {
      for (const body of [
        { type: "threads.create", params: { input: userInput("hello") } },
        { type: "threads.add_user_message", params: { thread_id: "thr_missing", input: userInput("x") } },
        "{not json",
        JSON.stringify({ type: "threads.list", params: {}, pad: "x".repeat(9 * 1024 * 1024) }),
      ]) {
        const res = await post(who, body);
        expect(res.status).toBe(401);
        expect(((await res.json()) as Json).detail).toEqual(expect.any(String));
      }
    }
    expect(fake.get().requests("/responses")).toHaveLength(0);
    const threads = await db.select().from(chatkitThreads).where(eq(chatkitThreads.userId, user.id));
    expect(threads).toEqual([]);
  });

  it("a later message and a retry give the model the thread's history in order", async () => {
    const user = await createTestUser();
    const { threadId, events } = await create(user, "first question");
    const first = doneItems(events).find((i) => i.type === "user_message")!;
    await readSse(
      await post(user, {
        type: "threads.add_user_message",
        params: { thread_id: threadId, input: userInput("second question") },
      }),
    );
    // The user's turns as the model saw them (its replies may echo them).
    const texts = (body: unknown) =>
      JSON.stringify((body as { input: Json[] }).input.filter((i) => i.role === "user")).match(
        /(first|second) question/g,
      );
    expect(texts(fake.get().requests("/responses").at(-1)!.body)).toEqual(["first question", "second question"]);
    const retried = await readSse(
      await post(user, { type: "threads.retry_after_item", params: { thread_id: threadId, item_id: first.id } }),
    );
    expect(retried.some((e) => e.type === "error")).toBe(false);
    expect(texts(fake.get().requests("/responses").at(-1)!.body)).toEqual(["first question"]);
    const thread = await getThread(user, threadId);
    expect(thread.items.data.map((i) => i.type)).toEqual(["user_message", "assistant_message"]);
  });
});
