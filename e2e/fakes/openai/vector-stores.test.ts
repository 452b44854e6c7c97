/** The real `openai` SDK against the fake's vector stores where the real service is not kind: indexing, expiry, paging. */
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

async function upload(text: string) {
  return client.files.create({
    file: await OpenAI.toFile(Buffer.from(JSON.stringify({ text })), "fact.json", { type: "application/json" }),
    purpose: "assistants",
  });
}

const control = (path: string, body: unknown) =>
  fetch(`${fake.url}/__fake${path}`, { method: "POST", body: JSON.stringify(body) });

describe("indexing in the background", () => {
  it("keeps an attached file in_progress and unsearchable until it is indexed", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    fake.resources.pauseIngestion();
    const file = await upload("User likes tea");
    const attached = await client.vectorStores.files.create(store.id, { file_id: file.id });
    expect(attached.status).toBe("in_progress");
    expect((await client.vectorStores.files.retrieve(file.id, { vector_store_id: store.id })).status).toBe(
      "in_progress",
    );
    expect(await client.vectorStores.retrieve(store.id)).toMatchObject({
      status: "in_progress",
      file_counts: { in_progress: 1, completed: 0, total: 1 },
    });
    expect((await client.vectorStores.search(store.id, { query: "tea" })).data).toEqual([]);

    fake.resources.resumeIngestion();
    expect((await client.vectorStores.files.poll(store.id, file.id, { pollIntervalMs: 5 })).status).toBe("completed");
    expect((await client.vectorStores.search(store.id, { query: "tea" })).data.map((r) => r.file_id)).toEqual([
      file.id,
    ]);
  });

  it("ends a file failed with last_error when a failure is armed over HTTP, and never searches it", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const armed = await control("/vector_stores/ingestion", { fail_next: { code: "invalid_file", times: 1 } });
    expect(armed.status).toBe(200);
    const file = await upload("User likes tea");
    const done = await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 5 });
    expect(done).toMatchObject({ status: "failed", last_error: { code: "invalid_file", message: expect.any(String) } });
    expect((await client.vectorStores.retrieve(store.id)).file_counts).toMatchObject({ failed: 1, completed: 0 });
    expect((await client.vectorStores.search(store.id, { query: "tea" })).data).toEqual([]);

    // The failure was used up: the next file completes.
    const next = await upload("User likes rain");
    const ok = await client.vectorStores.files.createAndPoll(store.id, { file_id: next.id }, { pollIntervalMs: 5 });
    expect(ok.status).toBe("completed");
  });

  it("refuses an unknown ingestion control", async () => {
    expect((await control("/vector_stores/ingestion", { fail_next: { code: "nope" } })).status).toBe(400);
  });
});

describe("expiry", () => {
  it("expires a store left untouched past expires_after: still there, status expired, closed to new files", async () => {
    const store = await client.vectorStores.create({
      name: "kb",
      expires_after: { anchor: "last_active_at", days: 1 },
    });
    const file = await upload("User likes tea");
    await client.vectorStores.files.createAndPoll(store.id, { file_id: file.id }, { pollIntervalMs: 5 });
    expect((await control("/vector_stores/clock", { advance_seconds: 2 * 86_400 })).status).toBe(200);

    expect((await client.vectorStores.retrieve(store.id)).status).toBe("expired");
    const other = await upload("User likes rain");
    await expect(client.vectorStores.files.create(store.id, { file_id: other.id })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
    expect((await client.vectorStores.search(store.id, { query: "tea" })).data).toEqual([]);
  });

  it("activity moves the expiry forward", async () => {
    const store = await client.vectorStores.create({
      name: "kb",
      expires_after: { anchor: "last_active_at", days: 2 },
    });
    fake.resources.advanceClock(86_400);
    await client.vectorStores.files.create(store.id, { file_id: (await upload("a")).id });
    fake.resources.advanceClock(86_400 + 60);
    expect((await client.vectorStores.retrieve(store.id)).status).not.toBe("expired");
  });

  it("expires a store at once through the control API", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    expect((await control(`/vector_stores/${store.id}/expire`, {})).status).toBe(200);
    expect((await client.vectorStores.retrieve(store.id)).status).toBe("expired");
    expect((await control("/vector_stores/vs_nope/expire", {})).status).toBe(404);
  });
});

describe("deleting a file", () => {
  it("removes it from every store it was attached to", async () => {
    const a = await client.vectorStores.create({ name: "a" });
    const b = await client.vectorStores.create({ name: "b" });
    const file = await upload("User likes tea");
    await client.vectorStores.files.createAndPoll(a.id, { file_id: file.id }, { pollIntervalMs: 5 });
    await client.vectorStores.files.createAndPoll(b.id, { file_id: file.id }, { pollIntervalMs: 5 });
    await client.files.delete(file.id);
    for (const store of [a, b]) {
      expect((await client.vectorStores.files.list(store.id)).data).toEqual([]);
      expect(await client.vectorStores.retrieve(store.id)).toMatchObject({ usage_bytes: 0, file_counts: { total: 0 } });
    }
  });

  it("detaching keeps the file itself", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const file = await upload("x");
    await client.vectorStores.files.create(store.id, { file_id: file.id });
    await expect(client.vectorStores.files.delete(file.id, { vector_store_id: store.id })).resolves.toMatchObject({
      deleted: true,
    });
    expect(fake.resources.files.has(file.id)).toBe(true);
    await expect(client.vectorStores.files.delete(file.id, { vector_store_id: store.id })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});

describe("listing files", () => {
  it("pages with limit, after and has_more, newest first by default", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const file = await upload(`fact ${i}`);
      await client.vectorStores.files.create(store.id, { file_id: file.id });
      ids.push(file.id);
    }
    const first = await client.vectorStores.files.list(store.id, { limit: 2 });
    expect(first.data.map((f) => f.id)).toEqual([ids[4], ids[3]]);
    expect(first.has_more).toBe(true);
    expect(first.hasNextPage()).toBe(true);

    const all: string[] = [];
    for await (const f of client.vectorStores.files.list(store.id, { limit: 2 })) all.push(f.id);
    expect(all).toEqual([...ids].reverse());
    expect(
      fake
        .requests("/vector_stores/")
        .filter((r) => r.method === "GET")
        .at(-1)?.query,
    ).toMatchObject({
      after: ids[1],
      limit: "2",
    });

    const asc = await client.vectorStores.files.list(store.id, { order: "asc", after: ids[1], limit: 10 });
    expect(asc.data.map((f) => f.id)).toEqual(ids.slice(2));
    expect(asc.has_more).toBe(false);
  });

  it("filters by status and refuses a limit over 100", async () => {
    const store = await client.vectorStores.create({ name: "kb" });
    fake.resources.pauseIngestion();
    await client.vectorStores.files.create(store.id, { file_id: (await upload("a")).id });
    expect((await client.vectorStores.files.list(store.id, { filter: "completed" })).data).toEqual([]);
    expect((await client.vectorStores.files.list(store.id, { filter: "in_progress" })).data).toHaveLength(1);
    await expect(client.vectorStores.files.list(store.id, { limit: 101 })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });
});
