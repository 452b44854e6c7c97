/** The real `openai` SDK against the fake's Responses API: script, streaming, non-streaming, faults. */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { start, type FakeOpenAI } from "./server";

let fake: FakeOpenAI;
let client: OpenAI;

const saveFact = {
  type: "function" as const,
  name: "save_fact",
  description: "Save a fact",
  strict: true,
  parameters: {
    type: "object",
    properties: { fact: { type: "string" } },
    required: ["fact"],
    additionalProperties: false,
  },
};
const switchTheme = {
  type: "function" as const,
  name: "switch_theme",
  description: "Switch theme",
  strict: true,
  parameters: {
    type: "object",
    properties: { theme: { type: "string", enum: ["light", "dark"] } },
    required: ["theme"],
    additionalProperties: false,
  },
};
const tools = [saveFact, switchTheme];

beforeAll(async () => {
  fake = await start(0, {});
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 0, timeout: 2_000 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function collect(stream: AsyncIterable<{ type: string }>) {
  const events: Record<string, unknown>[] = [];
  for await (const event of stream) events.push(event as Record<string, unknown>);
  return events;
}

describe("scripted conversation", () => {
  it("streams a plain reply in several deltas with sequence numbers from 0", async () => {
    const stream = await client.responses.create({ model: "gpt-4.1-mini", input: "Tell me about tides", stream: true });
    const events = await collect(stream);
    expect(events[0]?.type).toBe("response.created");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e) => e.type === "response.output_text.delta");
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    const last = events.at(-1) as { type: string; response: OpenAI.Responses.Response };
    expect(last.type).toBe("response.completed");
    const text = deltas.map((d) => d.delta).join("");
    expect(last.response.output[0]).toMatchObject({ type: "message", content: [{ type: "output_text", text }] });
    expect(text).toContain("tides");
  });

  it("responses.stream() accumulates a save_fact call for a stated fact", async () => {
    const stream = client.responses.stream({
      model: "gpt-4.1-mini",
      input: [{ role: "user", content: "My name is Kaz" }],
      tools,
    });
    const argDeltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (e) => argDeltas.push(e.delta));
    const final = await stream.finalResponse();
    const call = final.output[0];
    expect(call).toMatchObject({ type: "function_call", name: "save_fact", status: "completed" });
    expect(JSON.parse((call as OpenAI.Responses.ResponseFunctionToolCall).arguments)).toEqual({
      fact: "User's name is Kaz",
    });
    expect(argDeltas.join("")).toBe((call as OpenAI.Responses.ResponseFunctionToolCall).arguments);
  });

  it.each([
    ["I live in Oslo", "User lives in Oslo"],
    ["I am a nurse.", "User is a nurse"],
    ["I like green tea", "User likes green tea"],
    ["Hi! I'm vegetarian", "User is vegetarian"],
    ["My favourite colour is blue", "User's favourite colour is blue"],
  ])("turns %j into the fact %j", async (said, fact) => {
    const res = await client.responses.create({ model: "m", input: said, tools });
    expect(res.output[0]).toMatchObject({
      type: "function_call",
      name: "save_fact",
      arguments: JSON.stringify({ fact }),
    });
  });

  it("asks for switch_theme when the user wants dark or light mode", async () => {
    const dark = await client.responses
      .stream({ model: "m", input: "Please switch to dark mode", tools })
      .finalResponse();
    expect(dark.output[0]).toMatchObject({
      type: "function_call",
      name: "switch_theme",
      arguments: '{"theme":"dark"}',
    });
    const light = await client.responses.create({ model: "m", input: "use the light theme", tools });
    expect(light.output[0]).toMatchObject({ name: "switch_theme", arguments: '{"theme":"light"}' });
  });

  it("never calls a tool the request does not offer", async () => {
    const res = await client.responses.create({ model: "m", input: "My name is Kaz" });
    expect(res.output[0]?.type).toBe("message");
    const none = await client.responses.create({ model: "m", input: "dark mode please", tools, tool_choice: "none" });
    expect(none.output[0]?.type).toBe("message");
  });

  it("acknowledges a function_call_output with text (stateless history)", async () => {
    const first = await client.responses.create({ model: "m", input: "I live in Oslo", tools });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const final = await client.responses
      .stream({
        model: "m",
        tools,
        input: [
          { role: "user", content: "I live in Oslo" },
          { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: "function_call_output", call_id: call.call_id, output: '{"status":"pending"}' },
        ],
      })
      .finalResponse();
    expect(final.output_text).toBe("Noted: User lives in Oslo. Anything else?");
  });

  it("acknowledges a tool result sent with previous_response_id, and rejects unknown ids", async () => {
    const first = await client.responses.create({ model: "m", input: "switch to dark theme", tools });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const second = await client.responses.create({
      model: "m",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: "ok" }],
    });
    expect(second.output_text).toBe("Done, the theme is now dark.");
    await expect(
      client.responses.create({ model: "m", previous_response_id: "resp_nope", input: "hi" }),
    ).rejects.toMatchObject({ status: 400, code: "previous_response_not_found" });
  });

  it("recalls facts from the instructions and earlier save_fact calls", async () => {
    const res = await client.responses.create({
      model: "m",
      instructions:
        "You are helpful.\n- Be concise\n\nSaved facts about the user:\n- User's name is Kaz\n- User lives in Oslo",
      input: [
        { type: "function_call", call_id: "call_1", name: "save_fact", arguments: '{"fact":"User is a nurse"}' },
        { type: "function_call_output", call_id: "call_1", output: "saved" },
        { role: "user", content: "What do you know about me?" },
      ],
      tools,
    });
    expect(res.output_text).toBe(
      "Here is what I know about you: User's name is Kaz; User lives in Oslo; User is a nurse.",
    );
  });

  it("recalls facts from a vector store through file_search", async () => {
    const store = await client.vectorStores.create({ name: "mem" });
    const file = await client.files.create({
      file: await OpenAI.toFile(Buffer.from(JSON.stringify({ text: "User likes sailing" })), "f.json"),
      purpose: "assistants",
    });
    // Files are indexed in the background, as at OpenAI: wait for it the way a client does.
    const attached = await client.vectorStores.files.createAndPoll(
      store.id,
      { file_id: file.id, attributes: { fact_id: "fact_1" } },
      { pollIntervalMs: 10 },
    );
    expect(attached.status).toBe("completed");
    const final = await client.responses
      .stream({
        model: "m",
        input: "what do you know about me",
        tools: [{ type: "file_search", vector_store_ids: [store.id] }],
        include: ["file_search_call.results"],
      })
      .finalResponse();
    expect(final.output[0]).toMatchObject({
      type: "file_search_call",
      status: "completed",
      results: [{ file_id: file.id, attributes: { fact_id: "fact_1" } }],
    });
    expect(final.output_text).toBe("Here is what I know about you: User likes sailing.");
  });

  it("says it knows nothing when there are no facts", async () => {
    const res = await client.responses.create({ model: "m", input: "what do you know about me?" });
    expect(res.output_text).toMatch(/don't know anything about you yet/);
  });

  it("answers non-streaming with a full response object and usage", async () => {
    const res = await client.responses.create({ model: "gpt-4.1-mini", input: "hello", metadata: { a: "b" } });
    expect(res).toMatchObject({ object: "response", status: "completed", metadata: { a: "b" }, error: null });
    expect(res.output_text.length).toBeGreaterThan(0);
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
    expect(res._request_id).toMatch(/^req_/);
  });

  it("records what the model was sent", async () => {
    await client.responses.create({ model: "m", instructions: "be nice", input: "hello", tools });
    const [sent] = fake.requests("/responses");
    expect(sent).toMatchObject({
      method: "POST",
      path: "/responses",
      body: { instructions: "be nice", input: "hello" },
    });
    expect(sent?.headers.authorization).toBe("Bearer sk-test");
    const viaHttp = (await (await fetch(`${fake.url}/__fake/requests?path=/responses`)).json()) as { data: unknown[] };
    expect(viaHttp.data).toHaveLength(1);
  });

  it("rejects calls without an API key and requests without a model", async () => {
    const res = await fetch(`${fake.baseURL}/responses`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(401);
    await expect(client.responses.create({ input: "hi" } as never)).rejects.toMatchObject({ status: 400 });
  });
});

describe("benchmarks and pacing", () => {
  it("streams exactly N deltas for [deltas:N] with no delay", async () => {
    const startedAt = Date.now();
    const final = await client.responses.stream({ model: "m", input: "[deltas:2000] go" }).finalResponse();
    const words = final.output_text.split(" ");
    expect(words).toHaveLength(2000);
    expect(words[1999]).toBe("w1999");
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("paces deltas for [slow:ms]", async () => {
    const startedAt = Date.now();
    const events = await collect(
      await client.responses.create({ model: "m", input: "[slow:40] [deltas:5]", stream: true }),
    );
    expect(events.filter((e) => e.type === "response.output_text.delta")).toHaveLength(5);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
  });
});

describe("fault modes", () => {
  it("[fault:http500] → InternalServerError", async () => {
    const err = await client.responses.create({ model: "m", input: "hi [fault:http500]" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it("[fault:http429] → RateLimitError with retry headers", async () => {
    const err = (await client.responses
      .create({ model: "m", input: "[fault:http429] hi", stream: true })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe("rate_limit_exceeded");
    expect(err.headers?.get("retry-after")).toBe("1");
    expect(err.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
  });

  it("[fault:http401] → AuthenticationError", async () => {
    await expect(client.responses.create({ model: "m", input: "[fault:http401]" })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it("the SDK retries a 500 and succeeds when the fault was armed once", async () => {
    const retrying = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 1 });
    fake.failNext({ fault: "http500", path: "/responses" });
    const res = await retrying.responses.create({ model: "m", input: "hello" });
    expect(res.status).toBe("completed");
    expect(fake.requests("/responses")).toHaveLength(2);
  });

  it("x-fake-fault header works like a marker", async () => {
    await expect(
      client.responses.create({ model: "m", input: "hi" }, { headers: { "x-fake-fault": "http503" } }),
    ).rejects.toMatchObject({ status: 503 });
  });

  it("[fault:cut] breaks the stream mid-way", async () => {
    const stream = client.responses.stream({ model: "m", input: "[fault:cut] [deltas:20]" });
    await expect(stream.finalResponse()).rejects.toThrow();
  });

  it("[fault:malformed] makes the SDK's SSE parser throw", async () => {
    const stream = await client.responses.create({ model: "m", input: "[fault:malformed] hi", stream: true });
    await expect(collect(stream)).rejects.toThrow(SyntaxError);
  });

  it("[fault:failed] ends with response.failed", async () => {
    const events = await collect(
      await client.responses.create({ model: "m", input: "[fault:failed] hi", stream: true }),
    );
    expect(events.at(-1)).toMatchObject({
      type: "response.failed",
      response: { status: "failed", error: { code: "server_error" } },
    });
    const nonStream = await client.responses.create({ model: "m", input: "[fault:failed] hi" });
    expect(nonStream.status).toBe("failed");
  });

  it("[fault:error] → the SDK throws an APIError from the error event", async () => {
    const stream = client.responses.stream({ model: "m", input: "[fault:error] hi" });
    await expect(stream.finalResponse()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it("[fault:incomplete] ends with response.incomplete", async () => {
    const final = await client.responses.stream({ model: "m", input: "[fault:incomplete] hi" }).finalResponse();
    expect(final).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
  });

  it("[fault:hang] → APIConnectionTimeoutError at the client's timeout", async () => {
    const quick = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 0, timeout: 300 });
    await expect(quick.responses.create({ model: "m", input: "[fault:hang]" })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it("[fault:stall] sends response.created, then nothing until the caller aborts", async () => {
    const controller = new AbortController();
    const stream = await client.responses.create(
      { model: "m", input: "[fault:stall]", stream: true },
      { signal: controller.signal },
    );
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 250);
    const seen: string[] = [];
    for await (const e of stream) seen.push(e.type); // the SDK ends the iteration quietly on abort
    expect(seen).toEqual(["response.created"]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(240);
  });

  it("rejects an unknown queued fault on the control endpoint", async () => {
    const res = await fetch(`${fake.url}/__fake/faults`, { method: "POST", body: JSON.stringify({ fault: "nope" }) });
    expect(res.status).toBe(400);
  });
});
