/**
 * The real `openai` SDK against what the fake's streams add to the plain script: reasoning
 * items, file citations, and failures after part of the reply. `responses.stream()` runs the
 * SDK's accumulator, which rejects events out of order or of an unknown type.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { start, type FakeOpenAI } from "./server";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await start(0, {});
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 0, timeout: 5_000 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function streamed(params: OpenAI.Responses.ResponseCreateParamsStreaming) {
  const stream = client.responses.stream(params);
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  return { types, response: await stream.finalResponse() };
}

describe("reasoning models", () => {
  it("put a reasoning item before the answer, with summary events only when a summary is asked for", async () => {
    const plain = await streamed({ model: "gpt-5-mini", input: "Tell me about tides", stream: true });
    expect(plain.response.output.map((i) => i.type)).toEqual(["reasoning", "message"]);
    expect(plain.response.output[0]).toMatchObject({ type: "reasoning", summary: [] });
    expect(plain.types.filter((t) => t.startsWith("response.reasoning_summary"))).toEqual([]);
    expect(plain.response.output_text).toContain("tides");

    const summarised = await streamed({
      model: "o4-mini",
      input: "Tell me about tides",
      reasoning: { summary: "auto" },
      stream: true,
    });
    expect(summarised.types).toEqual(
      expect.arrayContaining([
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
      ]),
    );
    expect(summarised.response.output[0]).toMatchObject({
      type: "reasoning",
      summary: [{ type: "summary_text", text: expect.stringContaining("Reading the request") }],
    });
  });

  it("other models answer without one", async () => {
    const { response } = await streamed({ model: "gpt-4.1-mini", input: "Tell me about tides", stream: true });
    expect(response.output.map((i) => i.type)).toEqual(["message"]);
  });
});

describe("answers drawn from file search", () => {
  it("cite the files they used with file_citation annotations", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const file = await client.files.create({
      file: await OpenAI.toFile(Buffer.from(JSON.stringify({ text: "User's name is Kaz" })), "fact.json", {
        type: "application/json",
      }),
      purpose: "assistants",
    });
    await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 5 });
    const { types, response } = await streamed({
      model: "gpt-4.1-mini",
      input: "What do you know about me?",
      tools: [{ type: "file_search", vector_store_ids: [store.id] }],
      stream: true,
    });
    expect(types).toContain("response.output_text.annotation.added");
    expect(types.indexOf("response.output_text.annotation.added")).toBeLessThan(
      types.indexOf("response.output_text.done"),
    );
    const message = response.output.find((i) => i.type === "message");
    const part = message?.type === "message" ? message.content[0] : undefined;
    expect(part).toMatchObject({
      type: "output_text",
      annotations: [{ type: "file_citation", file_id: file.id, filename: "fact.json" }],
    });
    expect(response.output_text).toContain("Kaz");
  });
});

describe("failures after part of the reply", () => {
  it("failed-midway ends with response.failed after some text", async () => {
    const stream = await client.responses.create({
      model: "gpt-4.1-mini",
      input: "[deltas:10] [fault:failed-midway]",
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const deltas = events.filter((e) => e.type === "response.output_text.delta");
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThan(10);
    expect(events.at(-1)).toMatchObject({ type: "response.failed", response: { status: "failed" } });
  });

  it("error-midway sends an error event after some text, which the SDK throws", async () => {
    const stream = await client.responses.create({
      model: "gpt-4.1-mini",
      input: "[deltas:10] [fault:error-midway]",
      stream: true,
    });
    let deltas = 0;
    const failure = await (async () => {
      for await (const event of stream) if (event.type === "response.output_text.delta") deltas++;
    })().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(deltas).toBeGreaterThan(0);
    expect(deltas).toBeLessThan(10);
  });
});
