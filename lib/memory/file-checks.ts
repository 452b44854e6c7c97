/**
 * The memory job: learns what became of each fact's file in the user's vector store, outside
 * any request. OpenAI indexes an attached file in the background (`in_progress`, then
 * `completed`, `failed` or `cancelled`), so a fact counts as remembered only once its file is
 * `completed` (`memory_indexed_at`). The job visits a fact when its `memory_check_at` is due:
 *
 * - saved, file attached: poll the file. `in_progress` → look again soon (1 s, growing with the
 *   file's age, at most 5 min; stuck for an hour counts as failed). `completed` → indexed.
 *   `failed`/`cancelled` → the failure is counted (`memory_failures`, logged), the file deleted,
 *   and a re-upload is due after a backoff (1 min · 2^(n-1), at most 6 h), up to
 *   MEMORY_INDEX_MAX_FAILURES failures; then the job gives up on that fact (still logged and counted).
 * - saved, no file (a re-upload is due): upload and attach again, then poll as above.
 * - no longer saved, file attached: detach the file from the store and delete it.
 * - the user's store has expired (or is gone): a fresh store is made and every saved fact is
 *   copied into it again.
 *
 * Rows are claimed like the other queues (FOR UPDATE SKIP LOCKED, and a lease that moves
 * `memory_check_at` ahead), so concurrent drains never work one fact twice. A drain with time
 * left waits (briefly) for a poll that falls due within it, so a file saved just before is
 * usually settled by the drain that follows the response, not the next cron run.
 */
import "server-only";
import { and, asc, eq, inArray, isNotNull, lte, min, sql } from "drizzle-orm";
import type OpenAI from "openai";
import type { Database } from "@/db/types";
import { facts, type Fact } from "@/db/schema";
import { describeOpenAIError, openaiClient, unlessOpenAINotFound } from "@/lib/openai";
import { MEMORY_FIRST_POLL_SECONDS, MEMORY_INDEX_MAX_FAILURES } from "./limits";
import { uploadFactToMemory } from "./upload-fact";
import { findUserVectorStore, replaceUserVectorStore, storeIsGone } from "./vector-store";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "memory" });

export type FileCheckOptions = {
  batchSize?: number;
  /** How long a claimed fact stays invisible to other drains while it is worked on. */
  leaseSeconds?: number;
  /** Delay before re-upload n (1-based): base · 2^(n-1), capped. */
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
  /** A file still `in_progress` this long after its attach counts as failed. */
  stuckAfterSeconds?: number;
  /** The longest a drain sleeps for a poll that falls due before its deadline; 0 never sleeps. */
  maxWaitMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Stop claiming once Date.now() reaches this (epoch ms); claimed facts still finish. */
  deadline?: number;
};

const defaults = {
  batchSize: 20,
  leaseSeconds: 120,
  retryBaseSeconds: 60,
  retryMaxSeconds: 6 * 3600,
  stuckAfterSeconds: 3600,
  maxWaitMs: 5000,
  now: () => new Date(),
  log: (line: string) => log.warn(line),
} satisfies Required<Omit<FileCheckOptions, "deadline">>;

type Settings = typeof defaults & { deadline?: number };

export type FileCheckResult = {
  /** Files found indexed, and files of facts no longer saved removed. */
  done: number;
  /** Visits that left the fact due again: still indexing, or a failed file to upload again. */
  retried: number;
  /** Indexing failures counted in this drain (each is also logged and added to `memory_failures`). */
  failed: number;
};

export function reuploadDelaySeconds(failures: number, options: FileCheckOptions = {}): number {
  const base = options.retryBaseSeconds ?? defaults.retryBaseSeconds;
  const max = options.retryMaxSeconds ?? defaults.retryMaxSeconds;
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
}

/** Poll again soon after the attach, then less often: half the file's age, 1 s to 5 min. */
function pollDelaySeconds(ageSeconds: number): number {
  return Math.min(300, Math.max(1, Math.floor(ageSeconds / 2)));
}

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

async function claimDue(db: Database, s: Settings): Promise<Fact[]> {
  const at = s.now();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: facts.id })
      .from(facts)
      .where(lte(facts.memoryCheckAt, at))
      .orderBy(asc(facts.memoryCheckAt))
      .limit(s.batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(facts)
      .set({ memoryCheckAt: later(at, s.leaseSeconds) })
      .where(
        inArray(
          facts.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

/** Only the drain holding the claim (same lease, same file) may record an outcome. */
const mine = (fact: Fact) =>
  and(
    eq(facts.id, fact.id),
    fact.memoryCheckAt ? eq(facts.memoryCheckAt, fact.memoryCheckAt) : sql`false`,
    fact.memoryFileId ? eq(facts.memoryFileId, fact.memoryFileId) : sql`${facts.memoryFileId} is null`,
  );

type Outcome = "done" | "retried" | "failed";

class Drain {
  /** Per user, for the whole drain: the store files go to (undefined: none recorded). */
  private stores = new Map<string, string | undefined>();
  /** Users whose store this drain found gone and re-filled (which resets their facts' rows). */
  private refilled = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly client: OpenAI,
    private readonly s: Settings,
  ) {}

  /** The user's live store; an expired or vanished one is replaced (and every saved fact queued for it). */
  private async liveStore(userId: string): Promise<string | undefined> {
    if (this.stores.has(userId)) return this.stores.get(userId);
    let storeId = await findUserVectorStore(userId);
    if (storeId && (await storeIsGone(this.client, storeId))) {
      this.s.log(`[memory] vector store ${storeId} of user ${userId} expired or vanished; re-filling a fresh one`);
      const oldStoreId = storeId;
      storeId = await replaceUserVectorStore(userId, oldStoreId);
      await queueMemoryRefill(this.db, userId, this.s.now());
      this.refilled.add(userId);
    }
    this.stores.set(userId, storeId);
    return storeId;
  }

  async visit(fact: Fact): Promise<Outcome> {
    if (fact.status !== "saved") return this.remove(fact);
    const storeId = await this.liveStore(fact.userId);
    if (!storeId) {
      // No store recorded (hosted sessions create it): nothing to copy to until one exists.
      await this.record(fact, { memoryCheckAt: null, memorySyncedAt: null });
      return "done";
    }
    // A store found gone was re-filled, which reset this fact's row too: read it again then.
    const [row = fact] = this.refilled.has(fact.userId)
      ? await this.db.select().from(facts).where(eq(facts.id, fact.id))
      : [fact];
    if (!row.memoryFileId) return this.upload(row);
    return this.poll(row, storeId, row.memoryFileId);
  }

  private async record(fact: Fact, values: Partial<typeof facts.$inferInsert>): Promise<void> {
    await this.db.update(facts).set(values).where(mine(fact));
  }

  private async remove(fact: Fact): Promise<Outcome> {
    if (fact.memoryFileId) {
      const fileId = fact.memoryFileId;
      const storeId = this.stores.has(fact.userId)
        ? this.stores.get(fact.userId)
        : await findUserVectorStore(fact.userId);
      if (storeId)
        await unlessOpenAINotFound(() => this.client.vectorStores.files.delete(fileId, { vector_store_id: storeId }));
      await unlessOpenAINotFound(() => this.client.files.delete(fileId)); // also leaves any older store
    }
    await this.record(fact, {
      memoryFileId: null,
      memorySyncedAt: null,
      memoryIndexedAt: null,
      memoryCheckAt: null,
    });
    return "done";
  }

  private async upload(fact: Fact): Promise<Outcome> {
    const at = this.s.now();
    try {
      const entry = await uploadFactToMemory({ userId: fact.userId, factId: fact.id, text: fact.text, source: "chat" });
      if (entry.replacedStoreId) {
        this.stores.set(fact.userId, entry.vectorStoreId);
        await queueMemoryRefill(this.db, fact.userId, at, fact.id);
      }
      await this.record(fact, {
        memoryFileId: entry.fileId,
        memorySyncedAt: at,
        memoryCheckAt: later(at, MEMORY_FIRST_POLL_SECONDS),
      });
    } catch (err) {
      // The upload itself failed (OpenAI unavailable): not an indexing failure, just try later.
      const delay = reuploadDelaySeconds(Math.max(1, fact.memoryFailures), this.s);
      this.s.log(`[memory] re-upload of fact ${fact.id} failed (${describeOpenAIError(err)}); next try in ${delay} s`);
      await this.record(fact, { memoryCheckAt: later(at, delay) });
    }
    return "retried";
  }

  private async poll(fact: Fact, storeId: string, fileId: string): Promise<Outcome> {
    const at = this.s.now();
    let file: OpenAI.VectorStores.VectorStoreFile | null;
    try {
      file = await unlessOpenAINotFound(() =>
        this.client.vectorStores.files.retrieve(fileId, { vector_store_id: storeId }),
      );
    } catch (err) {
      this.s.log(
        `[memory] status of fact ${fact.id}'s file unavailable (${describeOpenAIError(err)}); asking again later`,
      );
      await this.record(fact, { memoryCheckAt: later(at, pollDelaySeconds(60)) });
      return "retried";
    }
    if (!file) {
      // Not in the store (detached elsewhere, or attached to a store since replaced): copy it again.
      await unlessOpenAINotFound(() => this.client.files.delete(fileId));
      await this.record(fact, { memoryFileId: null, memoryIndexedAt: null, memoryCheckAt: at });
      return "retried";
    }
    const age = (at.getTime() - (fact.memorySyncedAt ?? at).getTime()) / 1000;
    if (file.status === "completed") {
      await this.record(fact, { memoryIndexedAt: at, memoryCheckAt: null, memoryLastError: null });
      return "done";
    }
    if (file.status === "in_progress" && age < this.s.stuckAfterSeconds) {
      await this.record(fact, { memoryCheckAt: later(at, pollDelaySeconds(age)) });
      return "retried";
    }
    const reason =
      file.status === "in_progress"
        ? `still in_progress after ${Math.round(age)} s`
        : file.last_error
          ? `${file.status}: ${file.last_error.code}: ${file.last_error.message}`
          : file.status;
    return this.fail(fact, fileId, reason.slice(0, 1000));
  }

  private async fail(fact: Fact, fileId: string, reason: string): Promise<Outcome> {
    const at = this.s.now();
    const failures = fact.memoryFailures + 1;
    const giveUp = failures >= MEMORY_INDEX_MAX_FAILURES;
    const delay = reuploadDelaySeconds(failures, this.s);
    this.s.log(
      `[memory] indexing of fact ${fact.id} (user ${fact.userId}) failed, ${failures} of ${MEMORY_INDEX_MAX_FAILURES}: ${reason}; ` +
        (giveUp ? "giving up" : `uploading again in ${delay} s`),
    );
    // Deleting the file also takes it out of the store, so a failed copy never lingers there.
    await unlessOpenAINotFound(() => this.client.files.delete(fileId)).catch(() => undefined);
    await this.record(fact, {
      memoryFileId: null,
      memoryIndexedAt: null,
      memoryFailures: failures,
      memoryLastError: reason,
      memoryCheckAt: giveUp ? null : later(at, delay),
    });
    return "failed";
  }
}

/**
 * Queues every saved fact of the user (but `exceptFactId`) for copying into a store that was
 * just replaced: their files lived in the old one, and are deleted (best effort). The memory
 * job re-uploads them.
 */
export async function queueMemoryRefill(db: Database, userId: string, at: Date, exceptFactId?: string): Promise<void> {
  const mineToRefill = and(
    eq(facts.userId, userId),
    eq(facts.status, "saved"),
    isNotNull(facts.memorySyncedAt),
    exceptFactId ? sql`${facts.id} <> ${exceptFactId}` : undefined,
  );
  const old = await db
    .select({ fileId: facts.memoryFileId })
    .from(facts)
    .where(and(mineToRefill, isNotNull(facts.memoryFileId)));
  await db
    .update(facts)
    .set({
      memoryFileId: null,
      memoryIndexedAt: null,
      memorySyncedAt: at,
      memoryCheckAt: at,
      memoryFailures: 0,
      memoryLastError: null,
    })
    .where(mineToRefill);
  const client = openaiClient();
  if (client) await Promise.allSettled(old.flatMap(({ fileId }) => (fileId ? [client.files.delete(fileId)] : [])));
}

/** Epoch ms of the next check due, if any. */
async function nextDueAt(db: Database): Promise<number | undefined> {
  const [row] = await db
    .select({ at: min(facts.memoryCheckAt) })
    .from(facts)
    .where(isNotNull(facts.memoryCheckAt));
  return row?.at ? new Date(row.at).getTime() : undefined;
}

/** Visits due facts until none is left (or the deadline passes), waiting briefly for polls due soon. */
export async function drainMemoryFileChecks(db: Database, options: FileCheckOptions = {}): Promise<FileCheckResult> {
  const result: FileCheckResult = { done: 0, retried: 0, failed: 0 };
  const client = openaiClient();
  if (!client) return result; // no OpenAI configured: nothing was ever uploaded
  const s: Settings = { ...defaults, ...options };
  // One drain for the whole run, so each user's store is looked up (and checked at OpenAI) once.
  const drain = new Drain(db, client, s);
  for (;;) {
    if (s.deadline !== undefined && Date.now() >= s.deadline) return result;
    const batch = await claimDue(db, s);
    if (batch.length === 0) {
      // Only a drain with a deadline waits, and only for a check due before it.
      if (s.deadline === undefined || s.maxWaitMs <= 0) return result;
      const next = await nextDueAt(db);
      if (next === undefined) return result;
      const wait = Math.max(50, next - s.now().getTime());
      if (wait > Math.min(s.maxWaitMs, s.deadline - Date.now() - 1000)) return result;
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    for (const fact of batch) {
      try {
        result[await drain.visit(fact)]++;
      } catch (err) {
        // The lease runs out and a later drain takes it again.
        s.log(`[memory] check of fact ${fact.id} failed: ${describeOpenAIError(err)}`);
        result.retried++;
      }
    }
  }
}

/** The memory job as a job kind (lib/jobs): run by the cron route, the worker and after a save or a turn. */
export const memoryFileCheckJobKind = {
  name: "memory-files",
  async runDue(db: Database, deadline: number) {
    return drainMemoryFileChecks(db, { deadline });
  },
};
