/** The real `openai` SDK against the fake's ChatKit sessions, files and vector stores. */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { start, type FakeOpenAI } from "./server";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await start(0, {});
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.baseURL, maxRetries: 0, timeout: 2_000 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("ChatKit sessions", () => {
  it("creates a session with defaults filled in and the beta header recorded", async () => {
    const session = await client.beta.chatkit.sessions.create({
      user: "u1",
      workflow: { id: "wf_1", state_variables: { plan: "pro", seats: 5, beta: true } },
    });
    expect(session).toMatchObject({
      object: "chatkit.session",
      status: "active",
      user: "u1",
      max_requests_per_1_minute: 10,
      workflow: {
        id: "wf_1",
        version: null,
        state_variables: { plan: "pro", seats: 5, beta: true },
        tracing: { enabled: true },
      },
      chatkit_configuration: {
        file_upload: { enabled: false, max_file_size: 512, max_files: 10 },
        history: { enabled: true, recent_threads: null },
      },
    });
    expect(session.id).toMatch(/^cksess_/);
    expect(session.client_secret.length).toBeGreaterThan(20);
    expect(session.expires_at - Date.now() / 1000).toBeGreaterThan(590);
    expect(fake.requests("/chatkit/sessions")[0]?.headers["openai-beta"]).toBe("chatkit_beta=v1");
  });

  it("honours expires_after, rate_limits and the workflow version", async () => {
    const session = await client.beta.chatkit.sessions.create({
      user: "u1",
      workflow: { id: "wf_1", version: "3" },
      expires_after: { anchor: "created_at", seconds: 120 },
      rate_limits: { max_requests_per_1_minute: 4 },
    });
    expect(session).toMatchObject({
      max_requests_per_1_minute: 4,
      rate_limits: { max_requests_per_1_minute: 4 },
      workflow: { version: "3" },
    });
    expect(session.expires_at - Date.now() / 1000).toBeLessThanOrEqual(120);
  });

  it("cancels a session, and 404s an unknown one", async () => {
    const session = await client.beta.chatkit.sessions.create({ user: "u1", workflow: { id: "wf_1" } });
    const cancelled = await client.beta.chatkit.sessions.cancel(session.id);
    expect(cancelled).toMatchObject({ id: session.id, status: "cancelled" });
    expect(fake.resources.sessions.get(session.id)?.status).toBe("cancelled");
    await expect(client.beta.chatkit.sessions.cancel("cksess_unknown")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("rejects what the real API rejects: missing user, non-primitive state, over-long keys, ttl > 600", async () => {
    const bad = [
      { user: "", workflow: { id: "wf" } },
      { user: "u", workflow: { id: "wf", state_variables: { nested: { a: 1 } } } },
      { user: "u", workflow: { id: "wf", state_variables: { ["k".repeat(65)]: 1 } } },
      { user: "u", workflow: { id: "wf" }, expires_after: { anchor: "created_at", seconds: 601 } },
    ];
    for (const body of bad) {
      await expect(client.beta.chatkit.sessions.create(body as never)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    }
    expect(fake.resources.sessions.size).toBe(0);
  });

  it("requires the ChatKit beta header", async () => {
    const res = await fetch(`${fake.baseURL}/chatkit/sessions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: JSON.stringify({ user: "u", workflow: { id: "wf" } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("missing_beta_header");
  });

  it("queued faults reach endpoints without user text", async () => {
    fake.failNext({ fault: "http500", path: "/chatkit/sessions", times: 2 });
    await expect(client.beta.chatkit.sessions.create({ user: "u", workflow: { id: "wf" } })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await expect(client.beta.chatkit.sessions.create({ user: "u", workflow: { id: "wf" } })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await expect(client.beta.chatkit.sessions.create({ user: "u", workflow: { id: "wf" } })).resolves.toMatchObject({
      status: "active",
    });
  });

  it("a fault armed over HTTP applies once, then clears", async () => {
    const armed = await fetch(`${fake.url}/__fake/faults`, {
      method: "POST",
      body: JSON.stringify({ fault: "http429", path: "/chatkit" }),
    });
    expect(armed.status).toBe(200);
    await expect(client.beta.chatkit.sessions.create({ user: "u", workflow: { id: "wf" } })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    await expect(client.beta.chatkit.sessions.create({ user: "u", workflow: { id: "wf" } })).resolves.toBeTruthy();
  });
});

describe("files and vector stores", () => {
  it("creates a store with metadata and an expiry policy", async () => {
    const store = await client.vectorStores.create({
      name: "user-1-memory",
      metadata: { user_id: "1" },
      expires_after: { anchor: "last_active_at", days: 30 },
    });
    expect(store).toMatchObject({
      object: "vector_store",
      name: "user-1-memory",
      metadata: { user_id: "1" },
      status: "completed",
      file_counts: { total: 0 },
    });
    expect(store.expires_at).toBeGreaterThan(store.created_at);
    expect(fake.requests("/vector_stores")[0]?.headers["openai-beta"]).toBe("assistants=v2");
  });

  it("uploads a multipart file, attaches it with attributes and polls it to completed", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const file = await client.files.create({
      file: await OpenAI.toFile(Buffer.from('{"text":"User likes tea"}'), "fact.json", { type: "application/json" }),
      purpose: "assistants",
    });
    expect(file).toMatchObject({
      object: "file",
      filename: "fact.json",
      purpose: "assistants",
      bytes: 25,
      status: "processed",
    });
    expect(fake.requests("/files")[0]?.body).toMatchObject({
      fields: { purpose: "assistants" },
      file: { filename: "fact.json", text: '{"text":"User likes tea"}' },
    });
    const attached = await client.vectorStores.files.createAndPoll(store.id, {
      file_id: file.id,
      attributes: { fact_id: "f1", user_id: "u1" },
    });
    expect(attached).toMatchObject({
      id: file.id,
      object: "vector_store.file",
      vector_store_id: store.id,
      status: "completed",
      attributes: { fact_id: "f1", user_id: "u1" },
    });
    const list = await client.vectorStores.files.list(store.id);
    expect(list.data.map((f) => f.id)).toEqual([file.id]);
    const found = await client.vectorStores.search(store.id, { query: "tea" });
    expect(found.data[0]).toMatchObject({
      file_id: file.id,
      content: [{ type: "text", text: '{"text":"User likes tea"}' }],
    });
  });

  it("uploadAndPoll works end to end", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const done = await client.vectorStores.files.uploadAndPoll(
      store.id,
      await OpenAI.toFile(Buffer.from("hello"), "a.txt"),
    );
    expect(done.status).toBe("completed");
  });

  it("rejects attaching an unknown file and bad attributes", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    await expect(client.vectorStores.files.create(store.id, { file_id: "file-nope" })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const file = await client.files.create({
      file: await OpenAI.toFile(Buffer.from("x"), "x.txt"),
      purpose: "assistants",
    });
    await expect(
      client.vectorStores.files.create(store.id, { file_id: file.id, attributes: { nested: { a: 1 } } as never }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("deletes a store (then 404s it) and deletes files", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    await expect(client.vectorStores.delete(store.id)).resolves.toMatchObject({
      id: store.id,
      object: "vector_store.deleted",
      deleted: true,
    });
    await expect(client.vectorStores.retrieve(store.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.vectorStores.delete(store.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const file = await client.files.create({
      file: await OpenAI.toFile(Buffer.from("x"), "x.txt"),
      purpose: "assistants",
    });
    await expect(client.files.delete(file.id)).resolves.toMatchObject({ deleted: true });
  });

  it("exposes its state for inspection", async () => {
    await client.vectorStores.create({ name: "kb" });
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { vector_stores: { name: string }[] };
    expect(state.vector_stores.map((s) => s.name)).toEqual(["kb"]);
  });
});
