import { describe, expect, it } from "vitest";
import type { ResponseInputContent } from "openai/resources/responses/responses";
import { ThreadItemConverter } from "./input";
import type { ThreadItem, UserMessageTagContent } from "./types";

const base = (id: string) => ({ id, thread_id: "thr", created_at: "2026-01-01T00:00:00.000Z" });
const user = (id: string, text: string, quoted?: string): ThreadItem => ({
  ...base(id),
  type: "user_message",
  content: [{ type: "input_text", text }],
  attachments: [],
  inference_options: {},
  ...(quoted ? { quoted_text: quoted } : {}),
});
const textOf = (x: unknown) => JSON.stringify(x);

describe("thread items → model input (PROTOCOL.md §8.2)", () => {
  const conv = new ThreadItemConverter();

  it("A6: only the last message's quote is sent", async () => {
    const out = await conv.toAgentInput([
      user("1", "Hello!", "Hi!"),
      user("2", "I'm well, thank you!", "How are you doing?"),
    ]);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] });
    expect(textOf(out[2])).toContain("How are you doing?");
    expect(textOf(out)).not.toContain("Hi!");
  });

  it("A7: assistant parts and widgets", async () => {
    const out = await conv.toAgentInput([
      user("1", "a", "q1"),
      user("2", "b", "q2"),
      {
        ...base("3"),
        type: "assistant_message",
        content: [
          { type: "output_text", text: "x", annotations: [] },
          { type: "output_text", text: "y", annotations: [] },
        ],
      },
      {
        ...base("wd_123"),
        type: "widget",
        widget: { type: "Card", children: [{ type: "Text", value: "Hello, world!" }] },
      },
    ]);
    expect(out).toHaveLength(4);
    expect(out[2]).toEqual({
      type: "message",
      role: "assistant",
      content: [
        { type: "output_text", text: "x", annotations: [], logprobs: null },
        { type: "output_text", text: "y", annotations: [], logprobs: null },
      ],
    });
    const w = textOf(out[3]);
    expect(w).toContain("wd_123");
    expect(w).toContain("Hello, world!");
    expect(w).not.toContain("created_at");
    expect(textOf(out)).not.toContain("q1");
  });

  it("A8: tags become @text plus a tag context message (deduplicated)", async () => {
    class TagConv extends ThreadItemConverter {
      async tagToMessageContent(tag: UserMessageTagContent): Promise<ResponseInputContent> {
        return { type: "input_text", text: `${tag.text} ${String(tag.data.key)}` };
      }
    }
    const tag = { type: "input_tag" as const, id: "hello", text: "Hello!", data: { key: "value" }, interactive: false };
    const out = await new TagConv().toAgentInput([
      { ...base("1"), type: "user_message", content: [tag, tag], attachments: [], inference_options: {} },
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "@Hello!@Hello!" }],
    });
    const second = out[1] as { content: { text: string }[] };
    expect(second.content).toHaveLength(2);
    expect(second.content[0]!.text).toMatch(/@/);
    expect(second.content[1]!.text).toBe("Hello! value");
  });

  it("A9: tags with the default converter throw not-implemented", async () => {
    const tag = { type: "input_tag" as const, id: "t", text: "T", data: {}, interactive: false };
    await expect(
      conv.toAgentInput([
        { ...base("1"), type: "user_message", content: [tag], attachments: [], inference_options: {} },
      ]),
    ).rejects.toThrow(/tagToMessageContent/);
  });

  it("attachments need an override (no default)", async () => {
    await expect(
      conv.toAgentInput([
        {
          ...base("1"),
          type: "user_message",
          content: [],
          attachments: [{ type: "file", id: "a", name: "n", mime_type: "text/plain" }],
          inference_options: {},
        },
      ]),
    ).rejects.toThrow(/attachmentToMessageContent/);
  });

  it("A10/A11: generated images with and without image", async () => {
    const out = await conv.toAgentInput([
      { ...base("g"), type: "generated_image", image: { id: "i", url: "https://x/i.png" } },
      { ...base("h"), type: "generated_image" },
    ]);
    expect(out).toHaveLength(1);
    const content = (out[0] as unknown as { content: Record<string, unknown>[] }).content;
    expect(content[0]!.type).toBe("input_text");
    expect(content[1]).toEqual({ type: "input_image", detail: "auto", image_url: "https://x/i.png" });
  });

  it("A12/A13: hidden context strings are wrapped; other content needs an override", async () => {
    const out = await conv.toAgentInput([
      { ...base("h"), type: "hidden_context_item", content: "secret fact" },
      { ...base("s"), type: "sdk_hidden_context", content: "stopped" },
    ]);
    expect(out).toHaveLength(2);
    expect(textOf(out[0])).toContain("secret fact");
    expect(textOf(out[1])).toContain("stopped");
    await expect(
      conv.toAgentInput([{ ...base("h"), type: "hidden_context_item", content: { a: 1 } }]),
    ).rejects.toThrow();
    class Custom extends ThreadItemConverter {
      async hiddenContextToInput() {
        return { type: "message" as const, role: "user" as const, content: "custom" };
      }
    }
    expect(await new Custom().toAgentInput([{ ...base("h"), type: "hidden_context_item", content: { a: 1 } }])).toEqual(
      [{ type: "message", role: "user", content: "custom" }],
    );
  });

  it("A14: tasks, pending and completed client tool calls", async () => {
    const out = await conv.toAgentInput([
      user("1", "hey", "Hi!"),
      { ...base("t"), type: "task", task: { type: "custom", title: "Called xyx", status_indicator: "none" } },
      { ...base("p"), type: "client_tool_call", status: "pending", call_id: "c0", name: "xyz", arguments: {} },
      {
        ...base("c"),
        type: "client_tool_call",
        status: "completed",
        call_id: "ctc_123",
        name: "xyz",
        arguments: { foo: "bar" },
        output: { success: true },
      },
    ]);
    expect(out).toHaveLength(4);
    expect(textOf(out[0])).not.toContain("Hi!");
    expect(textOf(out[1])).toContain("Called xyx");
    expect(out[2]).toEqual({ type: "function_call", name: "xyz", arguments: '{"foo":"bar"}', call_id: "ctc_123" });
    expect(out[3]).toEqual({ type: "function_call_output", call_id: "ctc_123", output: '{"success":true}' });
  });

  it("A15: structured input answers are described line by line", async () => {
    const out = await conv.toAgentInput([
      {
        ...base("si"),
        type: "structured_input",
        status: "answered",
        inputs: [
          {
            type: "multiple_choice",
            id: "subject",
            question: "Which subject is this lesson for?",
            options: [{ value: "Math" }],
            multiple: false,
            answer: { values: ["Math"], skipped: false },
          },
          {
            type: "freeform",
            id: "details",
            question: "Anything else to know?",
            answer: { values: [], skipped: true },
          },
        ],
      },
    ]);
    expect(out).toHaveLength(1);
    const text = (out[0] as { content: { text: string }[] }).content[0]!.text;
    expect(text).toContain("answered");
    expect(text).toContain("- Which subject is this lesson for?: Math");
    expect(text).toContain("- Anything else to know?: skipped");
  });

  it("workflows send custom tasks with a title or content; end_of_turn sends nothing", async () => {
    const out = await conv.toAgentInput([
      {
        ...base("w"),
        type: "workflow",
        workflow: {
          type: "custom",
          expanded: false,
          tasks: [
            { type: "custom", content: "did a thing", status_indicator: "none" },
            { type: "custom", status_indicator: "none" },
            { type: "thought", content: "hmm", status_indicator: "none" },
          ],
        },
      },
      { ...base("e"), type: "end_of_turn" },
    ]);
    expect(out).toHaveLength(1);
    expect(textOf(out[0])).toContain("did a thing");
  });
});
