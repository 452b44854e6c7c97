import { describe, expect, it } from "vitest";
import { ChatKitRequestError } from "./errors";
import { parseRequest } from "./server";
import { userInput } from "@/e2e/support/chatkit/fixtures";
import { create, DEFAULT_CTX, makeServer, post } from "@/e2e/support/chatkit/harness";

const T = "THREAD"; // replaced by a real thread id

const cases: [string, unknown, number, string][] = [
  ["not JSON", "{nope", 400, "invalid_json"],
  ["empty body", "", 400, "invalid_json"],
  ["JSON array", "[]", 422, "validation_error"],
  ["JSON null", "null", 422, "validation_error"],
  ["missing type", { params: {} }, 422, "validation_error"],
  ["type not a string", { type: 5, params: {} }, 422, "validation_error"],
  ["unknown type", { type: "threads.cancel", params: {} }, 422, "unknown_request_type"],
  ["threads.list without params", { type: "threads.list" }, 422, "validation_error"],
  ["threads.list bad order", { type: "threads.list", params: { order: "sideways" } }, 422, "validation_error"],
  ["threads.list negative limit", { type: "threads.list", params: { limit: -1 } }, 422, "validation_error"],
  ["threads.list fractional limit", { type: "threads.list", params: { limit: 1.5 } }, 422, "validation_error"],
  ["threads.create without input", { type: "threads.create", params: {} }, 422, "validation_error"],
  [
    "threads.create content not array",
    { type: "threads.create", params: { input: { content: "hi" } } },
    422,
    "validation_error",
  ],
  [
    "threads.create bad content part",
    { type: "threads.create", params: { input: { content: [{ type: "input_audio" }] } } },
    422,
    "validation_error",
  ],
  [
    "threads.create attachments not ids",
    { type: "threads.create", params: { input: { ...userInput("x"), attachments: [1] } } },
    422,
    "validation_error",
  ],
  [
    "threads.create unknown attachment",
    { type: "threads.create", params: { input: { ...userInput("x"), attachments: ["atc_missing"] } } },
    404,
    "not_found",
  ],
  [
    "add_user_message without thread_id",
    { type: "threads.add_user_message", params: { input: userInput("x") } },
    422,
    "validation_error",
  ],
  [
    "add_user_message unknown thread",
    { type: "threads.add_user_message", params: { thread_id: "thr_nope", input: userInput("x") } },
    404,
    "not_found",
  ],
  [
    "add_user_message unknown attachment",
    { type: "threads.add_user_message", params: { thread_id: T, input: { ...userInput("x"), attachments: ["nope"] } } },
    404,
    "not_found",
  ],
  [
    "add_client_tool_output without result",
    { type: "threads.add_client_tool_output", params: { thread_id: T } },
    422,
    "validation_error",
  ],
  [
    "add_client_tool_output no pending call",
    { type: "threads.add_client_tool_output", params: { thread_id: T, result: 1 } },
    409,
    "no_pending_tool_call",
  ],
  [
    "add_client_tool_output unknown thread",
    { type: "threads.add_client_tool_output", params: { thread_id: "thr_nope", result: 1 } },
    404,
    "not_found",
  ],
  [
    "add_structured_input without item_id",
    { type: "threads.add_structured_input", params: { thread_id: T, input: {} } },
    422,
    "validation_error",
  ],
  [
    "add_structured_input bad status",
    { type: "threads.add_structured_input", params: { thread_id: T, item_id: "x", input: { status: "maybe" } } },
    422,
    "validation_error",
  ],
  [
    "add_structured_input unknown item",
    { type: "threads.add_structured_input", params: { thread_id: T, item_id: "nope", input: {} } },
    404,
    "not_found",
  ],
  ["retry without item_id", { type: "threads.retry_after_item", params: { thread_id: T } }, 422, "validation_error"],
  [
    "retry unknown thread",
    { type: "threads.retry_after_item", params: { thread_id: "thr_nope", item_id: "x" } },
    404,
    "not_found",
  ],
  [
    "custom_action without action",
    { type: "threads.custom_action", params: { thread_id: T } },
    422,
    "validation_error",
  ],
  [
    "custom_action action without type",
    { type: "threads.custom_action", params: { thread_id: T, action: {} } },
    422,
    "validation_error",
  ],
  [
    "custom_action unknown item",
    { type: "threads.custom_action", params: { thread_id: T, item_id: "nope", action: { type: "a" } } },
    404,
    "not_found",
  ],
  [
    "sync_custom_action unknown thread",
    { type: "threads.sync_custom_action", params: { thread_id: "thr_nope", action: { type: "a" } } },
    404,
    "not_found",
  ],
  [
    "sync_custom_action non-widget sender",
    { type: "threads.sync_custom_action", params: { thread_id: T, item_id: "USER_MSG", action: { type: "a" } } },
    409,
    "not_a_widget",
  ],
  [
    "sync_custom_action not implemented",
    { type: "threads.sync_custom_action", params: { thread_id: T, action: { type: "a" } } },
    501,
    "not_implemented",
  ],
  ["get_by_id without thread_id", { type: "threads.get_by_id", params: {} }, 422, "validation_error"],
  ["get_by_id unknown thread", { type: "threads.get_by_id", params: { thread_id: "thr_nope" } }, 404, "not_found"],
  ["update without title", { type: "threads.update", params: { thread_id: T } }, 422, "validation_error"],
  [
    "update unknown thread",
    { type: "threads.update", params: { thread_id: "thr_nope", title: "x" } },
    404,
    "not_found",
  ],
  ["delete unknown thread", { type: "threads.delete", params: { thread_id: "thr_nope" } }, 404, "not_found"],
  ["items.list unknown thread", { type: "items.list", params: { thread_id: "thr_nope" } }, 404, "not_found"],
  ["items.list bad after", { type: "items.list", params: { thread_id: T, after: 3 } }, 422, "validation_error"],
  [
    "feedback bad kind",
    { type: "items.feedback", params: { thread_id: T, item_ids: [], kind: "meh" } },
    422,
    "validation_error",
  ],
  [
    "feedback unknown thread",
    { type: "items.feedback", params: { thread_id: "thr_nope", item_ids: [], kind: "positive" } },
    404,
    "not_found",
  ],
  [
    "attachments.create missing size",
    { type: "attachments.create", params: { name: "x", mime_type: "text/plain" } },
    422,
    "validation_error",
  ],
  ["attachments.delete missing id", { type: "attachments.delete", params: {} }, 422, "validation_error"],
  [
    "transcribe invalid base64",
    { type: "input.transcribe", params: { audio_base64: "***", mime_type: "audio/webm" } },
    422,
    "validation_error",
  ],
  [
    "transcribe not implemented",
    { type: "input.transcribe", params: { audio_base64: "aGk=", mime_type: "audio/webm" } },
    501,
    "not_implemented",
  ],
];

describe("bad input → 4xx/501 JSON error before any stream, nothing stored", () => {
  for (const [name, req, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const { server, store } = makeServer();
      const { thread, events } = await create(server);
      const userMsgId = events[1]!.item.id as string;
      const body =
        typeof req === "string" ? req : JSON.stringify(req).replaceAll(T, thread.id).replaceAll("USER_MSG", userMsgId);
      const before = JSON.stringify([
        await store.loadThreads(100, null, "asc", DEFAULT_CTX),
        await store.loadThreadItems(thread.id, null, 100, "asc", DEFAULT_CTX),
      ]);
      const res = await post(server, body);
      expect(res.result.kind).toBe("json");
      expect(res.status).toBe(status);
      expect(res.json.code).toBe(code);
      expect(typeof res.json.detail).toBe("string");
      expect(res.json.detail.length).toBeGreaterThan(0);
      if (status === 422) {
        expect(Array.isArray(res.json.issues)).toBe(true);
        for (const i of res.json.issues) expect(Object.keys(i).sort()).toEqual(["message", "path"]);
      } else expect(res.json.issues).toBeUndefined();
      const after = JSON.stringify([
        await store.loadThreads(100, null, "asc", DEFAULT_CTX),
        await store.loadThreadItems(thread.id, null, 100, "asc", DEFAULT_CTX),
      ]);
      expect(after).toBe(before);
    });
  }

  it("parseRequest throws a typed ChatKitRequestError", () => {
    expect(() => parseRequest("{")).toThrow(ChatKitRequestError);
    try {
      parseRequest(JSON.stringify({ type: "items.list", params: {} }));
    } catch (e) {
      const err = e as ChatKitRequestError;
      expect(err.status).toBe(422);
      expect(err.issues?.[0]?.path).toBe("params.thread_id");
    }
  });

  it("accepts Uint8Array bodies, ignores unknown keys and treats missing attachments/inference_options as empty", async () => {
    const { server } = makeServer();
    const body = new TextEncoder().encode(
      JSON.stringify({
        type: "threads.create",
        extra: 1,
        params: { input: { content: [{ type: "input_text", text: "hi", x: 1 }] }, y: 2 },
      }),
    );
    const result = await server.process(body, DEFAULT_CTX);
    expect(result.kind).toBe("stream");
    expect(server.calls.respond[0]!.input).toMatchObject({
      attachments: [],
      inference_options: {},
      content: [{ type: "input_text", text: "hi" }],
    });
    if (result.kind === "stream") await new Response(result.stream).text();
  });

  it("input_tag without data defaults to {} and interactive false", async () => {
    const { server } = makeServer();
    const { events } = await create(server, "x", { content: [{ type: "input_tag", id: "e1", text: "Ann" }] });
    expect(events[1]!.item.content[0]).toEqual({
      type: "input_tag",
      id: "e1",
      text: "Ann",
      data: {},
      interactive: false,
    });
  });
});
