/**
 * The clean-up queue of deleted accounts: concurrent drains run each job once, a claimed job is
 * left alone until its lease runs out, a job that keeps failing is retried with capped backoff
 * and never given up, and running a finished clean-up again is harmless (already gone = done).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, openDatabase, type Database } from "@/db/client";
import { resolveDatabase } from "@/db/connection-url";
import { accountCleanupJobs } from "@/db/schema";
import { useOpenAIFake } from "@/e2e/support/fakes/openai";
import { useStripeFake } from "@/e2e/support/fakes/stripe";
import { useTestDatabase } from "@/e2e/support/test-database";
import { POST as webhook } from "@/app/api/webhooks/stripe/route";
import {
  claimDueCleanupJobs,
  cleanupRetryDelaySeconds,
  drainAccountCleanupJobs,
  enqueueCleanupJob,
} from "./cleanup-jobs";
import { runOpenAICleanup } from "./cleanup-openai";
import { runStripeCleanup } from "./cleanup-stripe";

const testDb = useTestDatabase();
const stripeFake = useStripeFake(webhook);
const openaiFake = useOpenAIFake();
const USER = "6f1c2b9e-4d3a-4c1e-9a57-2f0d8b7c6e15";
const soon = () => new Date(Date.now() + 1000); // row defaults carry microseconds a Date cannot express
const quiet = { log: () => undefined };

const handles: { close(): Promise<void> }[] = [];
/** A second, independent pool: what another worker process (or the cron route) would have. */
async function separateDb(): Promise<Database> {
  const handle = await openDatabase(resolveDatabase(testDb.url, undefined, ""), 4);
  handles.push(handle);
  return handle.db;
}
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

beforeEach(async () => {
  await (await getDb()).delete(accountCleanupJobs);
});

/** A vector store with one file at the OpenAI fake, as a user's memory would be. */
async function memoryAtOpenAI() {
  const fake = openaiFake.get();
  const store = fake.resources.createVectorStore({ name: "user-x-memory" });
  const file = fake.resources.createFile("fact.json", "assistants", Buffer.from("{}"));
  fake.resources.attachFile(store.id, { file_id: file.id });
  return { storeId: store.id, fileId: file.id };
}

describe("account clean-up jobs", () => {
  it("two drains working the queue at once run each job exactly once", async () => {
    const db = await getDb();
    const stores = [];
    for (let i = 0; i < 12; i++) {
      const m = await memoryAtOpenAI();
      stores.push(m);
      await enqueueCleanupJob(db, {
        kind: "openai",
        userId: USER,
        payload: { vector_store_id: m.storeId, file_ids: [m.fileId] },
      });
    }
    openaiFake.get().clearRequests();
    const [ra, rb] = await Promise.all([
      drainAccountCleanupJobs(await separateDb(), { batchSize: 2, now: soon }),
      drainAccountCleanupJobs(await separateDb(), { batchSize: 2, now: soon }),
    ]);
    expect(ra.done + rb.done).toBe(12);
    expect(ra.retried + rb.retried).toBe(0);
    const deletes = openaiFake
      .get()
      .requests()
      .filter((r) => r.method === "DELETE" && r.path.startsWith("/vector_stores/"));
    expect(deletes).toHaveLength(12); // one DELETE per store: no job ran twice
    for (const m of stores) expect(openaiFake.get().resources.vectorStores.has(m.storeId)).toBe(false);
    const rows = await db.select().from(accountCleanupJobs);
    expect(rows.every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
  });

  it("leaves a claimed job alone until its lease runs out (a crashed drain delays, never duplicates)", async () => {
    const db = await getDb();
    const m = await memoryAtOpenAI();
    await enqueueCleanupJob(db, {
      kind: "openai",
      userId: USER,
      payload: { vector_store_id: m.storeId, file_ids: [] },
    });
    expect(await claimDueCleanupJobs(db, { leaseSeconds: 300, now: soon })).toHaveLength(1);
    expect(await drainAccountCleanupJobs(db, { now: soon })).toEqual({ done: 0, retried: 0 });
    expect(await drainAccountCleanupJobs(db, { now: () => new Date(Date.now() + 301_000) })).toEqual({
      done: 1,
      retried: 0,
    });
  });

  it("retries a failing job with doubling, capped delays and never marks it failed", async () => {
    const db = await getDb();
    await enqueueCleanupJob(db, {
      kind: "stripe",
      userId: USER,
      payload: { customer_id: "cus_unreachable", subscription_ids: [], checkout_session_ids: [] },
    });
    let now = Date.now() + 1000;
    for (let attempt = 1; attempt <= 9; attempt++) {
      // Stripe answers 500 to everything for this job: list and delete both fail.
      stripeFake.get().failNext("GET", /^\/v1\/subscriptions$/, 500);
      const r = await drainAccountCleanupJobs(db, { now: () => new Date(now), ...quiet });
      expect(r).toEqual({ done: 0, retried: 1 });
      const [row] = await db.select().from(accountCleanupJobs);
      expect(row).toMatchObject({ status: "pending", attempts: attempt });
      expect(row!.nextAttemptAt.getTime() - now).toBe(cleanupRetryDelaySeconds(attempt) * 1000);
      now += cleanupRetryDelaySeconds(attempt) * 1000 + 1;
    }
    expect(cleanupRetryDelaySeconds(2)).toBe(2 * cleanupRetryDelaySeconds(1));
    expect(cleanupRetryDelaySeconds(50)).toBe(3600);
    // Stripe is back: the customer it no longer knows counts as removed.
    expect(await drainAccountCleanupJobs(db, { now: () => new Date(now) })).toEqual({ done: 1, retried: 0 });
    const [row] = await db.select().from(accountCleanupJobs).where(eq(accountCleanupJobs.kind, "stripe"));
    expect(row).toMatchObject({ status: "done", lastError: null, attempts: 10 });
  });

  it("running a finished clean-up again changes nothing and succeeds (already gone counts as done)", async () => {
    const m = await memoryAtOpenAI();
    await runOpenAICleanup({ vector_store_id: m.storeId, file_ids: [m.fileId, "file-never-existed"] });
    await runOpenAICleanup({ vector_store_id: m.storeId, file_ids: [m.fileId] });
    expect(openaiFake.get().resources.files.has(m.fileId)).toBe(false);
    await runStripeCleanup({
      customer_id: "cus_gone",
      subscription_ids: ["sub_gone"],
      checkout_session_ids: ["cs_gone"],
    });
  });

  it("refuses a malformed payload (the job stays due and says why) instead of calling out with it", async () => {
    const db = await getDb();
    await db.insert(accountCleanupJobs).values({
      kind: "openai",
      userId: USER,
      payload: { vector_store_id: "../../v1/files", file_ids: [] },
    });
    const lines: string[] = [];
    expect(await drainAccountCleanupJobs(db, { now: soon, log: (l) => lines.push(l) })).toEqual({
      done: 0,
      retried: 1,
    });
    const [row] = await db.select().from(accountCleanupJobs);
    expect(row?.lastError).toMatch(/vector_store_id/);
  });
});
