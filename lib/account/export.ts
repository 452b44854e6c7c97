/**
 * "Export my data": one JSON document with everything the account holds, written as a stream.
 * Rows are read page by page (keyset order) and serialised one record at a time, and the next
 * page is read only when the client has taken the previous one (ReadableStream `pull`), so a
 * large account never has to fit in memory. Every query is filtered by the user's id.
 */
import "server-only";
import { and, asc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { getDb, type Database } from "@/db/client";
import {
  authSessions,
  chatkitAttachments,
  chatkitFeedback,
  chatkitItems,
  chatkitSessions,
  chatkitThreads,
  facts,
  microAgents,
  oauthAccounts,
  stripeEvents,
  userVectorStore,
  users,
} from "@/db/schema";
import { toMicroAgentResponse } from "@/lib/billing/micro-agents";
import { unauthorized } from "@/lib/http";
import { signInMethods } from "./overview";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "account" });

export const EXPORT_FORMAT = "facts-chat-export";
export const EXPORT_VERSION = 1;
const PAGE = 200;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Keyset pages over (a timestamp, a tie-breaker), oldest first. */
async function* pages<Row>(
  fetch: (after: SQL | undefined) => Promise<Row[]>,
  cursor: (row: Row) => SQL,
): AsyncGenerator<Row> {
  let after: SQL | undefined;
  for (;;) {
    const rows = await fetch(after);
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    after = cursor(last);
  }
}

function afterKey(time: AnyPgColumn, tie: AnyPgColumn, t: Date, v: string | number): SQL {
  return or(gt(time, t), and(eq(time, t), gt(tie, v)))!;
}

async function* section(name: string, first: boolean, records: AsyncIterable<unknown>): AsyncGenerator<string> {
  yield `${first ? "" : ","}\n${JSON.stringify(name)}:[`;
  let n = 0;
  for await (const record of records) yield `${n++ === 0 ? "\n" : ",\n"}${JSON.stringify(record)}`;
  yield "]";
}

async function profile(db: Database, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw unauthorized();
  const linked = await db
    .select()
    .from(oauthAccounts)
    .where(eq(oauthAccounts.userId, userId))
    .orderBy(asc(oauthAccounts.createdAt));
  const [store] = await db
    .select({ id: userVectorStore.vectorStoreId, createdAt: userVectorStore.createdAt })
    .from(userVectorStore)
    .where(eq(userVectorStore.userId, userId));
  return {
    id: user.id,
    email: user.email,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    email_verified_at: iso(user.emailVerifiedAt),
    sign_in_methods: signInMethods(user, linked),
    linked_accounts: linked.map((a) => ({
      provider: a.provider,
      provider_account_id: a.providerAccountId,
      email: a.email,
      linked_at: iso(a.createdAt),
    })),
    stripe_customer_id: user.stripeCustomerId,
    memory_vector_store: store ? { id: store.id, created_at: iso(store.createdAt) } : null,
  };
}

async function* factRecords(db: Database, userId: string) {
  const rows = pages(
    (after) =>
      db
        .select()
        .from(facts)
        .where(and(eq(facts.userId, userId), after))
        .orderBy(asc(facts.createdAt), asc(facts.id))
        .limit(PAGE),
    (r) => afterKey(facts.createdAt, facts.id, r.createdAt, r.id),
  );
  for await (const f of rows) {
    yield {
      id: f.id,
      text: f.text,
      status: f.status,
      thread_id: f.threadId,
      in_memory: f.memoryFileId !== null,
      memory_file_id: f.memoryFileId,
      created_at: iso(f.createdAt),
      updated_at: iso(f.updatedAt),
    };
  }
}

/** One thread at a time: its metadata, then its items streamed inside it. */
async function* threadSection(db: Database, userId: string, first: boolean): AsyncGenerator<string> {
  yield `${first ? "" : ","}\n"threads":[`;
  const threads = pages(
    (after) =>
      db
        .select()
        .from(chatkitThreads)
        .where(and(eq(chatkitThreads.userId, userId), after))
        .orderBy(asc(chatkitThreads.createdAt), asc(chatkitThreads.seq))
        .limit(PAGE),
    (r) => afterKey(chatkitThreads.createdAt, chatkitThreads.seq, r.createdAt, r.seq),
  );
  let n = 0;
  for await (const t of threads) {
    const head = JSON.stringify({
      id: t.id,
      created_at: iso(t.createdAt),
      updated_at: iso(t.updatedAt),
      metadata: t.data,
    });
    yield `${n++ === 0 ? "\n" : ",\n"}${head.slice(0, -1)},"items":[`;
    const items = pages(
      (after) =>
        db
          .select()
          .from(chatkitItems)
          .where(and(eq(chatkitItems.threadId, t.id), eq(chatkitItems.userId, userId), after))
          .orderBy(asc(chatkitItems.createdAt), asc(chatkitItems.seq))
          .limit(PAGE),
      (r) => afterKey(chatkitItems.createdAt, chatkitItems.seq, r.createdAt, r.seq),
    );
    let m = 0;
    for await (const item of items) {
      yield `${m++ === 0 ? "\n" : ",\n"}${JSON.stringify({ id: item.id, type: item.type, created_at: iso(item.createdAt), data: item.data })}`;
    }
    yield "]}";
  }
  yield "]";
}

async function* feedbackRecords(db: Database, userId: string) {
  const rows = await db
    .select()
    .from(chatkitFeedback)
    .where(eq(chatkitFeedback.userId, userId))
    .orderBy(asc(chatkitFeedback.updatedAt));
  for (const r of rows) {
    yield { thread_id: r.threadId, item_id: r.itemId, kind: r.kind, updated_at: iso(r.updatedAt) };
  }
}

async function* attachmentRecords(db: Database, userId: string) {
  const rows = pages(
    (after) =>
      db
        .select({
          id: chatkitAttachments.id,
          threadId: chatkitAttachments.threadId,
          name: chatkitAttachments.name,
          mimeType: chatkitAttachments.mimeType,
          declaredSize: chatkitAttachments.declaredSize,
          // Only the size of the bytes leaves the database, never the bytes.
          storedBytes: sql<number | null>`octet_length(${chatkitAttachments.bytes})`.mapWith(Number),
          uploadedAt: chatkitAttachments.uploadedAt,
          createdAt: chatkitAttachments.createdAt,
        })
        .from(chatkitAttachments)
        .where(and(eq(chatkitAttachments.userId, userId), after))
        .orderBy(asc(chatkitAttachments.createdAt), asc(chatkitAttachments.id))
        .limit(PAGE),
    (r) => afterKey(chatkitAttachments.createdAt, chatkitAttachments.id, r.createdAt, r.id),
  );
  for await (const a of rows) {
    yield {
      id: a.id,
      thread_id: a.threadId,
      name: a.name,
      mime_type: a.mimeType,
      declared_size: a.declaredSize,
      stored_bytes: a.uploadedAt ? a.storedBytes : null,
      uploaded_at: iso(a.uploadedAt),
      created_at: iso(a.createdAt),
    };
  }
}

async function* microAgentRecords(db: Database, userId: string) {
  const rows = await db
    .select()
    .from(microAgents)
    .where(eq(microAgents.userId, userId))
    .orderBy(asc(microAgents.createdAt), asc(microAgents.id));
  // Each subscription's history: the Stripe events applied to it, oldest first.
  const subscriptionIds = rows.flatMap((a) => (a.stripeSubscriptionId ? [a.stripeSubscriptionId] : []));
  const events = subscriptionIds.length
    ? await db
        .select()
        .from(stripeEvents)
        .where(inArray(stripeEvents.stripeSubscriptionId, subscriptionIds))
        .orderBy(asc(stripeEvents.stripeCreatedAt), asc(stripeEvents.processedAt))
    : [];
  for (const a of rows) {
    yield {
      ...toMicroAgentResponse(a),
      stripe_checkout_session_id: a.stripeCheckoutSessionId,
      last_event_at: iso(a.lastEventAt),
      history: events
        .filter((e) => e.stripeSubscriptionId === a.stripeSubscriptionId)
        .map((e) => ({ event: e.type, at: iso(e.stripeCreatedAt), recorded_at: iso(e.processedAt) })),
    };
  }
}

async function* hostedSessionRecords(db: Database, userId: string) {
  const rows = await db
    .select()
    .from(chatkitSessions)
    .where(eq(chatkitSessions.userId, userId))
    .orderBy(asc(chatkitSessions.createdAt), asc(chatkitSessions.id));
  for (const s of rows) {
    yield {
      id: s.id,
      workflow_id: s.workflowId,
      created_at: iso(s.createdAt),
      expires_at: iso(s.expiresAt),
      cancelled_at: iso(s.cancelledAt),
    };
  }
}

async function* signInSessionRecords(db: Database, userId: string) {
  const rows = await db
    .select({ createdAt: authSessions.createdAt, revokedAt: authSessions.revokedAt })
    .from(authSessions)
    .where(eq(authSessions.userId, userId))
    .orderBy(asc(authSessions.createdAt));
  for (const s of rows) yield { created_at: iso(s.createdAt), revoked_at: iso(s.revokedAt) };
}

/** The whole document as text chunks, in order. */
export async function* exportChunks(userId: string, now: Date = new Date()): AsyncGenerator<string> {
  const db = await getDb();
  const head = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: now.toISOString() };
  yield `${JSON.stringify(head).slice(0, -1)},\n"profile":${JSON.stringify(await profile(db, userId))}`;
  yield* section("facts", false, factRecords(db, userId));
  yield* threadSection(db, userId, false);
  yield* section("feedback", false, feedbackRecords(db, userId));
  yield* section("attachments", false, attachmentRecords(db, userId));
  yield* section("micro_agents", false, microAgentRecords(db, userId));
  yield* section("hosted_chat_sessions", false, hostedSessionRecords(db, userId));
  yield* section("sign_in_sessions", false, signInSessionRecords(db, userId));
  yield "\n}\n";
}

/**
 * The export as a byte stream. The profile is read before the stream is returned, so a caller
 * that vanished between authentication and export gets the contract's 401, not a broken download.
 */
export async function exportStream(userId: string): Promise<ReadableStream<Uint8Array>> {
  const chunks = exportChunks(userId);
  const encoder = new TextEncoder();
  const first = await chunks.next();
  let pending: string | undefined = first.done ? undefined : first.value;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pending !== undefined) {
          controller.enqueue(encoder.encode(pending));
          pending = undefined;
          return;
        }
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        log.error({ err }, "export failed mid-stream");
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export function exportFileName(now: Date = new Date()): string {
  return `facts-chat-export-${now.toISOString().slice(0, 10)}.json`;
}
