/**
 * What a model turn reads before the model call, in one statement: the saved facts its
 * instructions recall, whether any of them still awaits its copy to the user's vector store
 * (when the user has one), and the turn's count against the user's quota. It runs alongside the
 * request's own reads and the caller's check, so it adds no round trip of its own.
 */
import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { getEnv } from "@/lib/env";
import { recallColumns } from "@/lib/facts/repository";
import { hasMemoryStoreColumn } from "@/lib/memory/vector-store";
import { quotaCounting, type QuotaDecision } from "@/lib/rate-limit/quota";
import { instructionsWith, RECALL_LIMIT } from "./instructions";

export type TurnSetup = {
  instructions: string;
  quota: QuotaDecision;
  /** A saved fact is not yet in the vector store: the turn ends with another try. */
  unsyncedFacts: boolean;
};

type Row = {
  recalled: string[];
  unsynced: boolean;
  has_memory_store: boolean;
  minute_count?: number | null;
  day_count?: number | null;
};

/** `countTurn`: false when no model call can follow (nothing to count against the quota). */
export async function readTurnSetup(userId: string, countTurn: boolean): Promise<TurnSetup> {
  const env = getEnv();
  const recall = sql`${recallColumns(userId, RECALL_LIMIT)}, ${hasMemoryStoreColumn(userId)}`;
  const counting =
    countTurn && !env.rateLimitDisabled ? quotaCounting("model_turn", userId, env.limits.modelTurns) : null;
  const db = await getDb();
  const result = await db.execute(
    counting ? sql`with ${counting.ctes} select ${counting.columns}, ${recall}` : sql`select ${recall}`,
  );
  const row = rowsOf<Row>(result)[0];
  return {
    instructions: instructionsWith(row?.recalled ?? []),
    quota: counting
      ? counting.decide(row && { minute_count: row.minute_count ?? null, day_count: row.day_count ?? null })
      : { allowed: true },
    // Without a store there is nothing to copy to (hosted sessions create it): no sync to try.
    unsyncedFacts: (row?.unsynced ?? false) && (row?.has_memory_store ?? false),
  };
}
