/**
 * The per-user OpenAI vector store that holds a user's saved facts ("memory").
 *
 * Exactly one store per user, even when several first requests race: creation runs inside a
 * transaction holding a Postgres advisory lock keyed by the user, so the second caller waits,
 * then finds the row the first one wrote. An OpenAI failure rolls back (nothing recorded) and
 * surfaces as a 502.
 */
import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import type OpenAI from "openai";
import { getDb, type Queryable } from "@/db/client";
import { userVectorStore } from "@/db/schema";
import { callOpenAI, describeOpenAIError, isOpenAINotFound, requireOpenAI } from "@/lib/openai";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "memory" });

/** A store untouched for this long expires at OpenAI (it is replaced and re-filled on next use, see file-checks.ts). */
export const MEMORY_STORE_EXPIRY_DAYS = 365;

export const memoryStoreName = (userId: string) => `user-${userId}-memory`;

async function findStoreId(db: Queryable, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ vectorStoreId: userVectorStore.vectorStoreId })
    .from(userVectorStore)
    .where(eq(userVectorStore.userId, userId))
    .limit(1);
  return row?.vectorStoreId;
}

/** A column for a statement of the caller's: `has_memory_store`, whether the user has a store recorded. */
export function hasMemoryStoreColumn(userId: string): SQL {
  return sql`exists (select 1 from ${userVectorStore} where ${eq(userVectorStore.userId, userId)}) as has_memory_store`;
}

/** The user's store id if one was recorded; never calls OpenAI. */
export async function findUserVectorStore(userId: string): Promise<string | undefined> {
  return findStoreId(await getDb(), userId);
}

/** The user's store id, creating (and recording) the store on first need. */
export async function ensureUserVectorStore(userId: string): Promise<string> {
  const db = await getDb();
  const existing = await findStoreId(db, userId);
  if (existing) return existing;
  const client = requireOpenAI();
  return db.transaction(async (tx) => {
    // Serialises first-time creation per user; released when the transaction ends.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`user_vector_store:${userId}`}, 0))`);
    const raced = await findStoreId(tx, userId);
    if (raced) return raced;
    const store = await callOpenAI("vector store create", "Unable to create the user's memory store.", () =>
      client.vectorStores.create({
        name: memoryStoreName(userId),
        metadata: { user_id: userId, purpose: "memory" },
        expires_after: { anchor: "last_active_at", days: MEMORY_STORE_EXPIRY_DAYS },
      }),
    );
    try {
      await tx.insert(userVectorStore).values({ userId, vectorStoreId: store.id });
    } catch (err) {
      // Not recorded (e.g. the user was deleted meanwhile): do not leave an orphan behind.
      await client.vectorStores.delete(store.id).catch(() => undefined);
      throw err;
    }
    return store.id;
  });
}

/** Forgets the recorded store without touching OpenAI (used when OpenAI says it no longer exists). */
export async function forgetUserVectorStore(userId: string, vectorStoreId: string): Promise<void> {
  const db = await getDb();
  await db
    .delete(userVectorStore)
    .where(sql`${userVectorStore.userId} = ${userId} and ${userVectorStore.vectorStoreId} = ${vectorStoreId}`);
}

/**
 * True when OpenAI no longer has the store or it has expired (status `expired`: it is still
 * listed but takes no files and answers no searches). Other failures are thrown.
 */
export async function storeIsGone(client: OpenAI, vectorStoreId: string): Promise<boolean> {
  try {
    return (await client.vectorStores.retrieve(vectorStoreId)).status === "expired";
  } catch (err) {
    if (isOpenAINotFound(err)) return true;
    throw err;
  }
}

/**
 * Replaces a store that expired or vanished with a fresh one (recorded for the user), and
 * deletes the old one at OpenAI when it still exists. The caller re-fills it.
 */
export async function replaceUserVectorStore(userId: string, oldStoreId: string): Promise<string> {
  await forgetUserVectorStore(userId, oldStoreId);
  const fresh = await ensureUserVectorStore(userId);
  await requireOpenAI()
    .vectorStores.delete(oldStoreId)
    .catch(() => undefined); // best effort: an expired store holds nothing we still use
  return fresh;
}

/**
 * Deletes the user's store at OpenAI and its row; best effort (failures are logged, never thrown).
 * Call it before deleting the user: the row cascades away with the user, and the id with it.
 * Returns whether the store is gone at OpenAI (true when there was none).
 */
export async function deleteUserVectorStore(userId: string): Promise<boolean> {
  const storeId = await findUserVectorStore(userId);
  if (!storeId) return true;
  const client = requireOpenAI();
  let gone = true;
  try {
    await client.vectorStores.delete(storeId);
  } catch (err) {
    gone = isOpenAINotFound(err);
    if (!gone)
      log.warn(
        { vector_store_id: storeId, user_id: userId, error_class: describeOpenAIError(err) },
        "could not delete the vector store",
      );
  }
  await forgetUserVectorStore(userId, storeId);
  return gone;
}
