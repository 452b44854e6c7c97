import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const userVectorStore = pgTable("user_vector_store", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  vectorStoreId: text("vector_store_id").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Hosted ChatKit sessions we minted, so refresh only cancels the caller's own. */
export const chatkitSessions = pgTable(
  "chatkit_sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workflowId: text("workflow_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("chatkit_sessions_user_id_idx").on(t.userId, t.createdAt)],
);

export type UserVectorStore = typeof userVectorStore.$inferSelect;
export type ChatKitSession = typeof chatkitSessions.$inferSelect;
