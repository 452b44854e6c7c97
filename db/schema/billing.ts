import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const microAgentStatus = pgEnum("micro_agent_status", ["pending", "active", "canceled", "past_due"]);

export const microAgents = pgTable(
  "micro_agents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    agentName: text("agent_name").notNull(),
    workflowId: text("workflow_id").notNull(),
    stripePriceId: text("stripe_price_id").notNull(),
    stripeSubscriptionId: text("stripe_subscription_id"),
    stripeCheckoutSessionId: text("stripe_checkout_session_id"),
    status: microAgentStatus("status").notNull().default("pending"),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    // Stripe `created` of the newest event applied; older events never overwrite newer state.
    lastEventAt: timestamp("last_event_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("micro_agents_user_id_created_at_idx").on(t.userId, t.createdAt),
    uniqueIndex("micro_agents_stripe_subscription_id_key").on(t.stripeSubscriptionId),
    index("micro_agents_stripe_checkout_session_id_idx").on(t.stripeCheckoutSessionId),
  ],
);

/**
 * One row per Stripe event applied; written in the same transaction as its effect. The
 * subscription it named makes it a micro-agent's history (shown in the data export).
 */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    stripeCreatedAt: timestamp("stripe_created_at", { withTimezone: true }).notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
    stripeSubscriptionId: text("stripe_subscription_id"),
  },
  (t) => [index("stripe_events_subscription_idx").on(t.stripeSubscriptionId, t.stripeCreatedAt)],
);

export type MicroAgent = typeof microAgents.$inferSelect;
export type MicroAgentStatus = (typeof microAgentStatus.enumValues)[number];
export type StripeEvent = typeof stripeEvents.$inferSelect;
