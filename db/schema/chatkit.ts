import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** Thread metadata as a JSON blob (shapes evolve), with the columns we query on. */
export const chatkitThreads = pgTable(
  "chatkit_threads",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 6 }).notNull(),
    // Strict tie-breaker for threads created in the same microsecond.
    seq: bigserial("seq", { mode: "number" }).notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("chatkit_threads_user_created_idx").on(t.userId, t.createdAt, t.seq)],
);

export const chatkitItems = pgTable(
  "chatkit_items",
  {
    threadId: text("thread_id")
      .notNull()
      .references(() => chatkitThreads.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 6 }).notNull(),
    // Insertion order: items sharing a timestamp still page in a strict order.
    seq: bigserial("seq", { mode: "number" }).notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.id] }),
    index("chatkit_items_thread_order_idx").on(t.threadId, t.createdAt, t.seq),
    index("chatkit_items_user_idx").on(t.userId),
  ],
);

export const chatkitAttachments = pgTable(
  "chatkit_attachments",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id"),
    mimeType: text("mime_type").notNull(),
    name: text("name").notNull(),
    declaredSize: integer("declared_size"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    bytes: bytea("bytes"),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("chatkit_attachments_user_idx").on(t.userId, t.createdAt)],
);

/** Thumbs up/down on assistant items (`items.feedback`): the latest verdict per user and item. */
export const chatkitFeedback = pgTable(
  "chatkit_feedback",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    threadId: text("thread_id")
      .notNull()
      .references(() => chatkitThreads.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    kind: text("kind", { enum: ["positive", "negative"] }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.threadId, t.itemId] }),
    index("chatkit_feedback_kind_idx").on(t.kind, t.updatedAt),
  ],
);

export type ChatKitThreadRow = typeof chatkitThreads.$inferSelect;
export type ChatKitItemRow = typeof chatkitItems.$inferSelect;
export type ChatKitAttachmentRow = typeof chatkitAttachments.$inferSelect;
export type ChatKitFeedbackRow = typeof chatkitFeedback.$inferSelect;
