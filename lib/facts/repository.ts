/** The facts a user shares: pending until confirmed, then saved or discarded. Every query is per user. */
import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { facts, type Fact, type FactStatus } from "@/db/schema";
import { MEMORY_FIRST_POLL_SECONDS, MEMORY_INDEX_MAX_FAILURES } from "@/lib/memory/limits";
import type { FactView } from "./schemas";

export const FACT_MAX_LENGTH = 500;
const FACT_ID = /^fact_[0-9a-f]{8,64}$/;

/** `fact_` + 32 hex: the seed's prefix, with enough randomness to be unguessable. */
export function newFactId(): string {
  return `fact_${randomBytes(16).toString("hex")}`;
}

export function isFactId(value: string): boolean {
  return FACT_ID.test(value);
}

export type { FactView } from "./schemas";

export function toFactView(fact: Fact): FactView {
  return { id: fact.id, text: fact.text, status: fact.status, createdAt: fact.createdAt.toISOString() };
}

export async function createPendingFact(
  input: { userId: string; text: string; threadId?: string; widgetItemId?: string },
  db?: Queryable,
): Promise<Fact> {
  const conn = db ?? (await getDb());
  const text = input.text.trim().slice(0, FACT_MAX_LENGTH);
  const [row] = await conn
    .insert(facts)
    .values({ id: newFactId(), userId: input.userId, text, threadId: input.threadId, widgetItemId: input.widgetItemId })
    .returning();
  if (!row) throw new Error("fact insert returned no row");
  return row;
}

export async function findFact(userId: string, factId: string): Promise<Fact | undefined> {
  if (!isFactId(factId)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(facts)
    .where(and(eq(facts.id, factId), eq(facts.userId, userId)))
    .limit(1);
  return row;
}

/** Saved facts, oldest first: what the facts panel shows and what the assistant remembers (optionally only the first `limit`). */
export async function listSavedFacts(userId: string, limit?: number): Promise<Fact[]> {
  const db = await getDb();
  const query = db
    .select()
    .from(facts)
    .where(and(eq(facts.userId, userId), eq(facts.status, "saved")))
    .orderBy(asc(facts.createdAt), asc(facts.id));
  return limit === undefined ? query : query.limit(limit);
}

export type Transition = { fact: Fact; changed: boolean };

/**
 * Moves a fact to `saved` or `discarded`. Idempotent: repeating the same transition returns
 * the fact unchanged (`changed: false`). Another user's or an unknown id gives undefined.
 */
export async function setFactStatus(
  userId: string,
  factId: string,
  status: Exclude<FactStatus, "pending">,
): Promise<Transition | undefined> {
  if (!isFactId(factId)) return undefined;
  const db = await getDb();
  const [updated] = await db
    .update(facts)
    // A fact leaving `saved` with a copy in memory has that copy removed by the memory job.
    .set({ status, updatedAt: new Date(), memoryCheckAt: status === "saved" ? undefined : removalDue })
    .where(and(eq(facts.id, factId), eq(facts.userId, userId), sql`${facts.status} <> ${status}`))
    .returning();
  if (updated) return { fact: updated, changed: true };
  const existing = await findFact(userId, factId);
  return existing ? { fact: existing, changed: false } : undefined;
}

/**
 * Copying a saved fact to the user's vector store is claimed first (`memory_synced_at` set,
 * no file id yet), so two instances never upload the same fact; a claim that never completed
 * (the process died mid-upload) may be taken again after this long. A fact the memory job has
 * in hand (`memory_check_at` set: a re-upload waiting out its backoff) or gave up on is not
 * taken here (lib/memory/file-checks.ts).
 */
const STALE_CLAIM = sql`now() - interval '5 minutes'`;

function awaitingMemory() {
  return and(
    or(isNull(facts.memorySyncedAt), and(isNull(facts.memoryFileId), lt(facts.memorySyncedAt, STALE_CLAIM))),
    isNull(facts.memoryCheckAt),
    lt(facts.memoryFailures, MEMORY_INDEX_MAX_FAILURES),
  );
}

/** Due now when the fact has a file to remove; unchanged otherwise. */
const removalDue = sql`case when ${facts.memoryFileId} is not null then now() else ${facts.memoryCheckAt} end`;

/** Saved facts not yet copied to the user's vector store (retried after a failure). */
export async function listUnsyncedSavedFacts(userId: string, limit = 50): Promise<Fact[]> {
  const db = await getDb();
  return db
    .select()
    .from(facts)
    .where(and(eq(facts.userId, userId), eq(facts.status, "saved"), awaitingMemory()))
    .orderBy(asc(facts.createdAt))
    .limit(limit);
}

/**
 * Two columns for a statement of the caller's (the assistant reads them with its quota count):
 * `recalled`, the texts of the newest `limit` saved facts, oldest first, as a JSON array; and
 * `unsynced`, whether any saved fact still awaits its copy to the vector store.
 */
export function recallColumns(userId: string, limit: number): SQL {
  const saved = and(eq(facts.userId, userId), eq(facts.status, "saved"));
  return sql`(select coalesce(json_agg(r.text order by r.created_at, r.id), '[]'::json) from (
      select ${facts.text} as text, ${facts.createdAt} as created_at, ${facts.id} as id from ${facts}
      where ${saved} order by ${facts.createdAt} desc, ${facts.id} desc limit ${limit}
    ) r) as recalled,
    exists (select 1 from ${facts} where ${and(saved, awaitingMemory())}) as unsynced`;
}

/** Claims one fact for upload; false when another worker has it (or it is done). */
export async function claimFactForMemory(userId: string, factId: string): Promise<boolean> {
  const db = await getDb();
  const claimed = await db
    .update(facts)
    .set({ memorySyncedAt: new Date(), memoryFileId: null })
    .where(and(eq(facts.id, factId), eq(facts.userId, userId), eq(facts.status, "saved"), awaitingMemory()))
    .returning({ id: facts.id });
  return claimed.length === 1;
}

/**
 * Records the attached file. It is not "copied" yet: OpenAI indexes it in the background, and
 * the memory job (due a moment later) polls its status until it is indexed or fails.
 */
export async function completeFactMemory(userId: string, factId: string, fileId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(facts)
    .set({
      memoryFileId: fileId,
      memorySyncedAt: new Date(),
      memoryIndexedAt: null,
      memoryCheckAt: sql`now() + make_interval(secs => ${MEMORY_FIRST_POLL_SECONDS})`,
    })
    .where(and(eq(facts.id, factId), eq(facts.userId, userId)));
}

/** Gives a claim back after a failed upload, so the next attempt takes it. */
export async function releaseFactMemory(userId: string, factId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(facts)
    .set({ memorySyncedAt: null })
    .where(and(eq(facts.id, factId), eq(facts.userId, userId), isNull(facts.memoryFileId)));
}
