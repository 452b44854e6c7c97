/**
 * The memory job against the OpenAI fake (which indexes files in the background, can fail them
 * and expires stores) and a real database. Indexing is held (`pauseIngestion`) and released
 * (`resumeIngestion`) by the tests, and the job is given its clock, so no test waits on time.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { facts } from "@/db/schema";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { useTestDatabase } from "@/e2e/support/test-database";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { decideFact } from "@/lib/assistant/fact-decisions";
import { syncSavedFactsToMemory } from "@/lib/assistant/memory-sync";
import { createPendingFact } from "@/lib/facts/repository";
import { drainMemoryFileChecks, ensureUserVectorStore, findUserVectorStore, MEMORY_INDEX_MAX_FAILURES } from "./index";

const testDb = useTestDatabase();
const openai = useOpenAIFake();
const fake = () => openai.get();

let user: TestUser;
let logs: string[];
/** The test's start: the job runs at fixed offsets from it, so a slow machine changes nothing. */
let t0: number;
beforeEach(async () => {
  t0 = Date.now();
  fake().reset();
  fake().resources.pauseIngestion();
  user = await createTestUser();
  logs = [];
});

const HOUR = 3600_000;
/** Late enough for every file attached so far to be due for its first poll. */
const FIRST = 30_000;
/** Runs the job as if at `offsetMs` after the test's start, on a clock that stands still for the drain, never sleeping. */
async function runJob(offsetMs: number) {
  const at = new Date(t0 + offsetMs);
  return drainMemoryFileChecks(await testDb.db(), {
    now: () => at,
    maxWaitMs: 0,
    log: (line) => logs.push(line),
  });
}

async function factRow(id: string) {
  const [row] = await (await testDb.db()).select().from(facts).where(eq(facts.id, id));
  return row!;
}

async function saveFact(text: string) {
  const fact = await createPendingFact({ userId: user.id, text });
  await decideFact(user.id, fact.id, "saved");
  return fact.id;
}

const storeFiles = (storeId: string) => [...(fake().resources.vectorStores.get(storeId)?.files.values() ?? [])];

describe("the outcome of indexing", () => {
  it("counts a fact as remembered only once OpenAI has indexed its file", async () => {
    const storeId = await ensureUserVectorStore(user.id);
    const id = await saveFact("Plays the cello");
    const attached = await factRow(id);
    expect(attached.memoryFileId).toMatch(/^file-/);
    expect(attached.memoryIndexedAt).toBeNull();
    expect(attached.memoryCheckAt).not.toBeNull();

    // Still in_progress: the job looks again later and records nothing yet.
    expect(await runJob(FIRST)).toEqual({ done: 0, retried: 1, failed: 0 });
    expect((await factRow(id)).memoryIndexedAt).toBeNull();
    expect(await runJob(FIRST)).toEqual({ done: 0, retried: 0, failed: 0 }); // not due again yet

    fake().resources.resumeIngestion();
    expect(await runJob(3 * FIRST)).toEqual({ done: 1, retried: 0, failed: 0 });
    const indexed = await factRow(id);
    expect(indexed.memoryIndexedAt).not.toBeNull();
    expect(indexed.memoryCheckAt).toBeNull();
    expect(storeFiles(storeId)).toMatchObject([{ id: indexed.memoryFileId, status: "completed" }]);
  });

  it("counts a failed file, removes it, and uploads the fact again after a backoff until it is indexed", async () => {
    const storeId = await ensureUserVectorStore(user.id);
    const id = await saveFact("Speaks Norwegian");
    const firstFile = (await factRow(id)).memoryFileId!;
    fake().resources.failNextIngestion({ code: "server_error", message: "Indexing broke." });
    fake().resources.resumeIngestion();
    fake().resources.pauseIngestion();

    expect(await runJob(FIRST)).toEqual({ done: 0, retried: 0, failed: 1 });
    const failed = await factRow(id);
    expect(failed).toMatchObject({
      memoryFileId: null,
      memoryIndexedAt: null,
      memoryFailures: 1,
      memoryLastError: "failed: server_error: Indexing broke.",
    });
    expect(failed.memoryCheckAt!.getTime()).toBeGreaterThanOrEqual(t0 + FIRST + 60_000); // a backoff, not at once
    expect(storeFiles(storeId)).toEqual([]);
    expect(fake().resources.files.has(firstFile)).toBe(false);
    expect(logs.join("\n")).toContain(
      `indexing of fact ${id} (user ${user.id}) failed, 1 of ${MEMORY_INDEX_MAX_FAILURES}`,
    );

    // Neither a turn's sync nor an early drain takes it during the backoff.
    expect(await syncSavedFactsToMemory(user.id)).toBe(0);
    expect(await runJob(FIRST)).toEqual({ done: 0, retried: 0, failed: 0 });

    expect(await runJob(HOUR)).toEqual({ done: 0, retried: 1, failed: 0 }); // uploaded again
    const again = await factRow(id);
    expect(again.memoryFileId).toMatch(/^file-/);
    expect(again.memoryFileId).not.toBe(firstFile);
    fake().resources.resumeIngestion();
    expect(await runJob(HOUR + 10_000)).toEqual({ done: 1, retried: 0, failed: 0 });
    expect(await factRow(id)).toMatchObject({ memoryFailures: 1, memoryCheckAt: null });
    expect((await factRow(id)).memoryIndexedAt).not.toBeNull();
    expect(storeFiles(storeId)).toMatchObject([{ id: again.memoryFileId, status: "completed" }]);
  });

  it(`gives up after ${MEMORY_INDEX_MAX_FAILURES} failures, leaving the count and the last error for an operator`, async () => {
    await ensureUserVectorStore(user.id);
    const id = await saveFact("Grows tomatoes");
    fake().resources.failNextIngestion({ code: "invalid_file", times: MEMORY_INDEX_MAX_FAILURES });
    let at = FIRST;
    for (let n = 1; n <= MEMORY_INDEX_MAX_FAILURES; n++) {
      fake().resources.resumeIngestion(); // the attached file fails
      fake().resources.pauseIngestion();
      expect((await runJob(at)).failed).toBe(1);
      expect((await factRow(id)).memoryFailures).toBe(n);
      at += 7 * HOUR; // past the longest backoff
      if (n < MEMORY_INDEX_MAX_FAILURES) expect((await runJob(at)).retried).toBe(1); // uploaded again
      at += 2_000; // its first poll
    }
    const row = await factRow(id);
    expect(row).toMatchObject({ memoryFileId: null, memoryCheckAt: null, memoryIndexedAt: null });
    expect(row.memoryLastError).toContain("invalid_file");
    expect(logs.at(-1)).toContain("giving up");
    expect(await runJob(at + 24 * HOUR)).toEqual({ done: 0, retried: 0, failed: 0 });
    expect(await syncSavedFactsToMemory(user.id)).toBe(0);
    expect(fake().resources.files.size).toBe(0); // every failed copy was deleted
  });

  it("treats a file that never leaves in_progress as failed after an hour", async () => {
    await ensureUserVectorStore(user.id);
    const id = await saveFact("Has two cats");
    expect((await runJob(2 * HOUR)).failed).toBe(1);
    expect((await factRow(id)).memoryLastError).toMatch(/still in_progress after \d+ s/);
  });
});

describe("an expired store", () => {
  it("is replaced on the next save, and every saved fact is copied into the new one", async () => {
    const oldStore = await ensureUserVectorStore(user.id);
    const a = await saveFact("Likes rain");
    const b = await saveFact("Runs marathons");
    fake().resources.resumeIngestion();
    expect(await runJob(FIRST)).toEqual({ done: 2, retried: 0, failed: 0 });
    fake().resources.pauseIngestion();
    fake().resources.expireVectorStore(oldStore);
    const oldFiles = storeFiles(oldStore).map((f) => f.id);

    const c = await saveFact("Reads poetry");
    const newStore = await findUserVectorStore(user.id);
    expect(newStore).toBeDefined();
    expect(newStore).not.toBe(oldStore);
    expect(fake().resources.vectorStores.has(oldStore)).toBe(false);
    expect((await factRow(a)).memoryFileId).toBeNull(); // queued for the new store
    for (const id of oldFiles) expect(fake().resources.files.has(id)).toBe(false); // no orphans left

    expect(await runJob(2 * FIRST)).toEqual({ done: 0, retried: 3, failed: 0 }); // a and b uploaded again, c indexing
    fake().resources.resumeIngestion();
    expect(await runJob(4 * FIRST)).toEqual({ done: 3, retried: 0, failed: 0 });
    for (const id of [a, b, c]) expect((await factRow(id)).memoryIndexedAt).not.toBeNull();
    const attached = storeFiles(newStore!).map((f) => String(f.attributes?.fact_id));
    expect(attached.sort()).toEqual([a, b, c].sort());
  });

  it("is found expired by the job while it polls, replaced and re-filled", async () => {
    const oldStore = await ensureUserVectorStore(user.id);
    const a = await saveFact("Likes jazz");
    fake().resources.expireVectorStore(oldStore);

    await runJob(FIRST);
    expect(logs.join("\n")).toContain(`vector store ${oldStore} of user ${user.id} expired`);
    const newStore = await findUserVectorStore(user.id);
    expect(newStore).not.toBe(oldStore);
    fake().resources.resumeIngestion();
    await runJob(2 * FIRST);
    expect((await factRow(a)).memoryIndexedAt).not.toBeNull();
    expect(storeFiles(newStore!).map((f) => f.attributes?.fact_id)).toEqual([a]);
  });
});

describe("a fact no longer saved", () => {
  it("has its file detached from the store and deleted when it is discarded", async () => {
    const storeId = await ensureUserVectorStore(user.id);
    const id = await saveFact("Collects stamps");
    fake().resources.resumeIngestion();
    await runJob(FIRST);
    const fileId = (await factRow(id)).memoryFileId!;
    expect(storeFiles(storeId)).toHaveLength(1);

    await decideFact(user.id, id, "discarded");
    expect(await runJob(2 * FIRST)).toEqual({ done: 1, retried: 0, failed: 0 });
    expect(storeFiles(storeId)).toEqual([]);
    expect(fake().resources.files.has(fileId)).toBe(false);
    expect(
      fake()
        .requests(`/vector_stores/${storeId}/files/${fileId}`)
        .map((r) => r.method),
    ).toContain("DELETE");
    expect(await factRow(id)).toMatchObject({ memoryFileId: null, memorySyncedAt: null, memoryCheckAt: null });

    // Saved again, it is copied again.
    await decideFact(user.id, id, "saved");
    expect((await factRow(id)).memoryFileId).toMatch(/^file-/);
  });
});
