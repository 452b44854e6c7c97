/** Thumbs up/down from the chat (`items.feedback`): the latest verdict per user and item. */
import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chatkitFeedback, chatkitItems } from "@/db/schema";
import type { FeedbackKind } from "@/lib/chatkit/types";

const MAX_ITEMS = 100;

/** Records feedback on those of `itemIds` that are items of this user's thread; returns how many. */
export async function recordFeedback(
  userId: string,
  threadId: string,
  itemIds: string[],
  kind: FeedbackKind,
): Promise<number> {
  const ids = [...new Set(itemIds)].slice(0, MAX_ITEMS);
  if (ids.length === 0) return 0;
  const db = await getDb();
  const known = await db
    .select({ id: chatkitItems.id })
    .from(chatkitItems)
    .where(and(eq(chatkitItems.threadId, threadId), eq(chatkitItems.userId, userId), inArray(chatkitItems.id, ids)));
  if (known.length === 0) return 0;
  await db
    .insert(chatkitFeedback)
    .values(known.map((item) => ({ userId, threadId, itemId: item.id, kind })))
    .onConflictDoUpdate({
      target: [chatkitFeedback.userId, chatkitFeedback.threadId, chatkitFeedback.itemId],
      set: { kind, updatedAt: sql`now()` },
    });
  return known.length;
}
