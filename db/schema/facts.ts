import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const factStatus = pgEnum("fact_status", ["pending", "saved", "discarded"]);

export const facts = pgTable(
  "facts",
  {
    // `fact_` + 32 hex: prefixed like the seed's ids, but unguessable.
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id"),
    // The confirmation widget's item id, so an action can settle it.
    widgetItemId: text("widget_item_id"),
    text: text("text").notNull(),
    status: factStatus("status").notNull().default("pending"),
    // The fact's copy in the user's vector store (lib/memory/README.md has the life cycle):
    // the attached file (null means "still to upload"), when the upload was claimed or attached,
    // and when OpenAI finished indexing it (null while it is in_progress, or after it failed).
    memoryFileId: text("memory_file_id"),
    memorySyncedAt: timestamp("memory_synced_at", { withTimezone: true }),
    memoryIndexedAt: timestamp("memory_indexed_at", { withTimezone: true }),
    // When the memory job (lib/memory/index-jobs.ts) next looks at this fact: a status poll, a
    // re-upload after a failed indexing, or removing the file of a fact no longer saved. Null: nothing due.
    memoryCheckAt: timestamp("memory_check_at", { withTimezone: true }),
    // Indexing failures so far (an operator's counter; the retries stop at MEMORY_INDEX_MAX_FAILURES).
    memoryFailures: integer("memory_failures").notNull().default(0),
    memoryLastError: text("memory_last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("facts_user_id_status_created_at_idx").on(t.userId, t.status, t.createdAt),
    index("facts_thread_id_idx").on(t.threadId),
    index("facts_memory_check_at_idx")
      .on(t.memoryCheckAt)
      .where(sql`${t.memoryCheckAt} is not null`),
  ],
);

export type Fact = typeof facts.$inferSelect;
export type FactStatus = (typeof factStatus.enumValues)[number];
