/** ChatKitServer on the Postgres store: protocol round trips and cross-user isolation. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser } from "@/e2e/support/users";
import { ChatKitServer, type ProcessResult, type RunControl } from "@/lib/chatkit/server";
import { nowIso, type AttachmentStore } from "@/lib/chatkit/store";
import type { Attachment, ThreadMetadata, ThreadStreamEvent, UserMessageItem } from "@/lib/chatkit/types";
import { PostgresChatKitStore, type ChatKitContext } from "./store";

useTestDatabase();

async function newUser(): Promise<ChatKitContext> {
  return { userId: (await createTestUser()).id };
}

class Server extends ChatKitServer<ChatKitContext> {
  actions = 0;
  async *respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    _c: ChatKitContext,
    _r: RunControl,
  ): AsyncIterable<ThreadStreamEvent> {
    const id = `a_${randomUUID().slice(0, 8)}`;
    yield {
      type: "thread.item.added",
      item: { type: "assistant_message", id, thread_id: thread.id, created_at: nowIso(), content: [] },
    };
    yield {
      type: "thread.item.updated",
      item_id: id,
      update: {
        type: "assistant_message.content_part.text_delta",
        content_index: 0,
        delta: input ? "reply" : "continued",
      },
    };
    yield {
      type: "thread.item.done",
      item: {
        type: "assistant_message",
        id,
        thread_id: thread.id,
        created_at: nowIso(),
        content: [{ type: "output_text", text: input ? "reply" : "continued", annotations: [] }],
      },
    };
    if (input?.content[0]?.type === "input_text" && input.content[0].text === "widget") {
      yield {
        type: "thread.item.done",
        item: {
          type: "widget",
          id: `w_${id}`,
          thread_id: thread.id,
          created_at: nowIso(),
          widget: { type: "Card", children: [] },
        },
      };
    }
    if (!thread.title) thread.title = "Titled";
  }
  async *action(): AsyncIterable<ThreadStreamEvent> {
    this.actions++;
  }
}

const bytesStore: AttachmentStore<ChatKitContext> = {
  async createAttachment(input) {
    return {
      type: "file",
      id: `atc_${randomUUID().slice(0, 8)}`,
      name: input.name,
      mime_type: input.mime_type,
      upload_descriptor: { url: "https://up/", method: "PUT", headers: {} },
    };
  },
  async deleteAttachment() {},
};

async function call(server: Server, req: unknown, ctx: ChatKitContext) {
  const result: ProcessResult = await server.process(JSON.stringify(req), ctx);
  if (result.kind === "json")
    return { status: result.status, json: JSON.parse(result.body), events: [] as Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const text = await new Response(result.stream).text();
  await result.done;
  return {
    status: 200,
    json: null,
    events: text
      .split("\n\n")
      .filter(Boolean)
      .map((f) => JSON.parse(f.slice(6))),
  };
}

const createReq = (text: string, attachments: string[] = []) => ({
  type: "threads.create",
  params: { input: { content: [{ type: "input_text", text }], attachments, inference_options: {} } },
});

describe("ChatKitServer with PostgresChatKitStore", () => {
  it("creates a thread, streams, titles it and pages items", async () => {
    const server = new Server(new PostgresChatKitStore(), bytesStore);
    const a = await newUser();
    const res = await call(server, createReq("hello"), a);
    expect(res.events.map((e) => e.type)).toEqual([
      "thread.created",
      "thread.item.done",
      "stream_options",
      "thread.item.added",
      "thread.item.updated",
      "thread.item.done",
      "thread.updated",
    ]);
    const threadId = res.events[0]!.thread.id;
    const got = await call(server, { type: "threads.get_by_id", params: { thread_id: threadId } }, a);
    expect(got.json.title).toBe("Titled");
    expect(got.json.items.data.map((i: { type: string }) => i.type)).toEqual(["user_message", "assistant_message"]);
    const list = await call(server, { type: "items.list", params: { thread_id: threadId, limit: 1 } }, a);
    expect(list.json.data[0].type).toBe("assistant_message");
    expect(list.json.has_more).toBe(true);
  });

  it("user B cannot read, list, update, delete, retry, act on or attach to user A's data", async () => {
    const server = new Server(new PostgresChatKitStore(), bytesStore);
    const a = await newUser();
    const b = await newUser();
    const att = await call(
      server,
      { type: "attachments.create", params: { name: "f.txt", size: 3, mime_type: "text/plain" } },
      a,
    );
    const created = await call(server, createReq("widget", [att.json.id]), a);
    const threadId = created.events[0]!.thread.id as string;
    const userMsgId = created.events[1]!.item.id as string;
    const widgetId = created.events.find((e) => e.type === "thread.item.done" && e.item.type === "widget")!.item
      .id as string;

    const denied: [string, unknown][] = [
      ["get_by_id", { type: "threads.get_by_id", params: { thread_id: threadId } }],
      ["items.list", { type: "items.list", params: { thread_id: threadId } }],
      ["update", { type: "threads.update", params: { thread_id: threadId, title: "pwned" } }],
      ["delete", { type: "threads.delete", params: { thread_id: threadId } }],
      [
        "add_user_message",
        {
          type: "threads.add_user_message",
          params: { thread_id: threadId, input: { content: [{ type: "input_text", text: "x" }] } },
        },
      ],
      ["retry", { type: "threads.retry_after_item", params: { thread_id: threadId, item_id: userMsgId } }],
      [
        "custom_action",
        { type: "threads.custom_action", params: { thread_id: threadId, item_id: widgetId, action: { type: "x" } } },
      ],
      [
        "sync_custom_action",
        {
          type: "threads.sync_custom_action",
          params: { thread_id: threadId, item_id: widgetId, action: { type: "x" } },
        },
      ],
      [
        "feedback",
        { type: "items.feedback", params: { thread_id: threadId, item_ids: [userMsgId], kind: "positive" } },
      ],
      ["tool output", { type: "threads.add_client_tool_output", params: { thread_id: threadId, result: 1 } }],
      [
        "structured input",
        { type: "threads.add_structured_input", params: { thread_id: threadId, item_id: userMsgId, input: {} } },
      ],
      ["attach A's file to B's thread", createReq("steal", [att.json.id])],
      ["delete A's attachment", { type: "attachments.delete", params: { attachment_id: att.json.id } }],
    ];
    for (const [name, req] of denied) {
      const res = await call(server, req, b);
      expect([name, res.status]).toEqual([name, 404]);
    }
    expect(server.actions).toBe(0);
    const listB = await call(server, { type: "threads.list", params: {} }, b);
    expect(listB.json.data).toEqual([]);
    // A's data is intact
    const got = await call(server, { type: "threads.get_by_id", params: { thread_id: threadId } }, a);
    expect(got.json.title).toBe("Titled");
    expect(got.json.items.data).toHaveLength(3);
    expect(got.json.items.data[0].attachments[0].id).toBe(att.json.id);
    const attachment = (await new PostgresChatKitStore().loadAttachment(att.json.id, a)) as Attachment;
    expect(attachment.thread_id).toBe(threadId);
  });

  it("retry and tool output round trips work on Postgres", async () => {
    const server = new Server(new PostgresChatKitStore(), null);
    const a = await newUser();
    const created = await call(server, createReq("hello"), a);
    const threadId = created.events[0]!.thread.id as string;
    const userMsgId = created.events[1]!.item.id as string;
    const retry = await call(
      server,
      { type: "threads.retry_after_item", params: { thread_id: threadId, item_id: userMsgId } },
      a,
    );
    expect(retry.events.map((e) => e.type)).toEqual([
      "stream_options",
      "thread.item.added",
      "thread.item.updated",
      "thread.item.done",
    ]);
    const items = await call(server, { type: "items.list", params: { thread_id: threadId } }, a);
    expect(items.json.data).toHaveLength(2);
    const store = new PostgresChatKitStore();
    await store.addThreadItem(
      threadId,
      {
        type: "client_tool_call",
        id: "fc_1",
        thread_id: threadId,
        created_at: nowIso(),
        status: "pending",
        call_id: "c1",
        name: "t",
        arguments: {},
      },
      a,
    );
    const out = await call(
      server,
      { type: "threads.add_client_tool_output", params: { thread_id: threadId, result: { ok: true } } },
      a,
    );
    expect(out.events[0]!.type).toBe("stream_options");
    expect(await store.loadItem(threadId, "fc_1", a)).toMatchObject({ status: "completed", output: { ok: true } });
  });
});
