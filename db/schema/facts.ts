import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    // Set once the fact is in the user's vector store; null means "still to upload".
    memoryFileId: text("memory_file_id"),
    memorySyncedAt: timestamp("memory_synced_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("facts_user_id_status_created_at_idx").on(t.userId, t.status, t.createdAt),
    index("facts_thread_id_idx").on(t.threadId),
  ],
);

export type Fact = typeof facts.$inferSelect;
export type FactStatus = (typeof factStatus.enumValues)[number];
