/**
 * The assistant's ChatKit store: threads, items and attachments in PostgreSQL (drizzle), and
 * their id formats (`chatStore` at the end: `thr_` + 16 hex for threads, `msg_` + 8 hex for items). Threads, items and attachments
 * are JSON blobs (`data`) plus the columns we filter and order on; every statement is scoped
 * to the context's user, so another user's rows are "not found" and never listed.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { Database } from "@/db/types";
import { chatkitAttachments, chatkitItems, chatkitThreads } from "@/db/schema";
import { ChatKitRequestError, NotFoundError } from "@/lib/chatkit/errors";
import { StoreBase } from "@/lib/chatkit/store";
import type { Attachment, Page, SortOrder, ThreadItem, ThreadMetadata } from "@/lib/chatkit/types";

export type ChatKitContext = { userId: string };

/** Longer ids than the protocol's default 8 hex for thread and attachment ids, which are unique across all users. */
export function wideId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

function toDate(iso: string | undefined): Date {
  const d = iso ? new Date(iso) : new Date();
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

/**
 * A JSON text PostgreSQL's jsonb refuses: a NUL character or a lone UTF-16 surrogate, which
 * JSON.stringify writes as \u0000 / \udXXX escapes (an even run of backslashes before them is
 * an escaped backslash, i.e. ordinary text).
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export class PostgresChatKitStore extends StoreBase<ChatKitContext> {
  private readonly dbSource: () => Promise<Database>;

  /** Uses the process-wide `getDb()` unless a database (or a factory) is given. */
  constructor(db?: Database | (() => Promise<Database>)) {
    super();
    if (!db) this.dbSource = getDb;
    else if (typeof db === "function") this.dbSource = db;
    else this.dbSource = async () => db;
  }

  private db(): Promise<Database> {
    return this.dbSource();
  }

  /** jsonb refuses NUL and lone surrogates: say so before a turn starts rather than fail its write. */
  checkItem(item: ThreadItem): void {
    if (UNSTORABLE_ESCAPE.test(JSON.stringify(item)))
      throw new ChatKitRequestError(
        400,
        "unsupported_characters",
        "The message contains characters that cannot be stored (a NUL character or an unpaired surrogate).",
      );
  }

  // ------------------------------------------------------------------------------ threads

  async loadThread(threadId: string, ctx: ChatKitContext): Promise<ThreadMetadata> {
    const db = await this.db();
    const [row] = await db
      .select({ data: chatkitThreads.data })
      .from(chatkitThreads)
      .where(and(eq(chatkitThreads.id, threadId), eq(chatkitThreads.userId, ctx.userId)))
      .limit(1);
    if (!row) throw new NotFoundError(`Thread ${threadId} not found`);
    return row.data as unknown as ThreadMetadata;
  }

  async saveThread(thread: ThreadMetadata, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    const data = thread as unknown as Record<string, unknown>;
    const rows = await db
      .insert(chatkitThreads)
      .values({ id: thread.id, userId: ctx.userId, createdAt: toDate(thread.created_at), data })
      .onConflictDoUpdate({
        target: chatkitThreads.id,
        set: { data, updatedAt: sql`now()` },
        setWhere: eq(chatkitThreads.userId, ctx.userId),
      })
      .returning({ id: chatkitThreads.id });
    // The id exists but belongs to someone else: refuse rather than silently dropping the write.
    if (rows.length === 0) throw new NotFoundError(`Thread ${thread.id} not found`);
  }

  async loadThreads(
    limit: number,
    after: string | null,
    order: SortOrder,
    ctx: ChatKitContext,
  ): Promise<Page<ThreadMetadata>> {
    const db = await this.db();
    const t = chatkitThreads;
    const conds: SQL[] = [eq(t.userId, ctx.userId)];
    if (after != null) {
      const cursor = sql`(select c.created_at, c.seq from chatkit_threads c where c.id = ${after} and c.user_id = ${ctx.userId})`;
      conds.push(
        order === "asc" ? sql`(${t.createdAt}, ${t.seq}) > ${cursor}` : sql`(${t.createdAt}, ${t.seq}) < ${cursor}`,
      );
    }
    const rows = await db
      .select({ id: t.id, data: t.data })
      .from(t)
      .where(and(...conds))
      .orderBy(order === "asc" ? sql`${t.createdAt} asc, ${t.seq} asc` : sql`${t.createdAt} desc, ${t.seq} desc`)
      .limit(limit + 1);
    return toPage(
      rows.map((r) => r.data as unknown as ThreadMetadata),
      limit,
    );
  }

  /**
   * The thread, its first item and the claim on that item's attachments in one statement, so
   * one round trip and all or nothing: a refused item leaves no thread behind.
   */
  override async createThread(
    thread: ThreadMetadata,
    first: ThreadItem,
    attachments: Attachment[],
    ctx: ChatKitContext,
  ): Promise<void> {
    const db = await this.db();
    const ids = JSON.stringify(attachments.map((a) => a.id));
    // Every part waits on the thread row, and the thread row on every attachment still being the user's.
    const result = await db.execute(sql`
      with wanted as (
        select a.id from chatkit_attachments a
        where a.user_id = ${ctx.userId}::uuid and a.id in (select jsonb_array_elements_text(${ids}::jsonb))
      ), thread as (
        insert into chatkit_threads (id, user_id, created_at, data)
        select ${thread.id}, ${ctx.userId}::uuid, ${toDate(thread.created_at).toISOString()}::timestamptz, ${JSON.stringify(thread)}::jsonb
        where (select count(*) from wanted) = jsonb_array_length(${ids}::jsonb)
        returning id
      ), item as (
        insert into chatkit_items (thread_id, id, user_id, type, created_at, data)
        select thread.id, ${first.id}, ${ctx.userId}::uuid, ${first.type}, ${toDate(first.created_at).toISOString()}::timestamptz, ${JSON.stringify(first)}::jsonb
        from thread
        returning id
      ), claimed as (
        update chatkit_attachments a
        set thread_id = thread.id, data = a.data || jsonb_build_object('thread_id', thread.id)
        from thread
        where a.id in (select id from wanted)
        returning a.id
      )
      select (select count(*) from item)::int as items`);
    if (rowsOf<{ items: number }>(result)[0]?.items !== 1) throw new NotFoundError(`Thread ${thread.id} not created`);
  }

  async deleteThread(threadId: string, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    await db.delete(chatkitThreads).where(and(eq(chatkitThreads.id, threadId), eq(chatkitThreads.userId, ctx.userId)));
  }

  // ------------------------------------------------------------------------------ items

  async loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: SortOrder,
    ctx: ChatKitContext,
  ): Promise<Page<ThreadItem>> {
    const db = await this.db();
    const i = chatkitItems;
    const conds: SQL[] = [eq(i.threadId, threadId), eq(i.userId, ctx.userId)];
    if (after != null) {
      const cursor = sql`(select c.created_at, c.seq from chatkit_items c where c.thread_id = ${threadId} and c.id = ${after} and c.user_id = ${ctx.userId})`;
      conds.push(
        order === "asc" ? sql`(${i.createdAt}, ${i.seq}) > ${cursor}` : sql`(${i.createdAt}, ${i.seq}) < ${cursor}`,
      );
    }
    const rows = await db
      .select({ data: i.data })
      .from(i)
      .where(and(...conds))
      .orderBy(order === "asc" ? sql`${i.createdAt} asc, ${i.seq} asc` : sql`${i.createdAt} desc, ${i.seq} desc`)
      .limit(limit + 1);
    return toPage(
      rows.map((r) => r.data as unknown as ThreadItem),
      limit,
    );
  }

  /** Upsert, only into a thread the user owns (NotFoundError otherwise). */
  private async upsertItem(threadId: string, item: ThreadItem, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    const data = JSON.stringify(item);
    const result = await db.execute(sql`
      insert into chatkit_items (thread_id, id, user_id, type, created_at, data)
      select ${threadId}, ${item.id}, ${ctx.userId}::uuid, ${item.type}, ${toDate(item.created_at).toISOString()}::timestamptz, ${data}::jsonb
      where exists (select 1 from chatkit_threads t where t.id = ${threadId} and t.user_id = ${ctx.userId}::uuid)
      on conflict (thread_id, id) do update set type = excluded.type, data = excluded.data
        where chatkit_items.user_id = excluded.user_id
      returning id`);
    if (rowsOf(result).length === 0) throw new NotFoundError(`Thread ${threadId} not found`);
  }

  addThreadItem(threadId: string, item: ThreadItem, ctx: ChatKitContext): Promise<void> {
    return this.upsertItem(threadId, item, ctx);
  }

  saveItem(threadId: string, item: ThreadItem, ctx: ChatKitContext): Promise<void> {
    return this.upsertItem(threadId, item, ctx);
  }

  async loadItem(threadId: string, itemId: string, ctx: ChatKitContext): Promise<ThreadItem> {
    const db = await this.db();
    const [row] = await db
      .select({ data: chatkitItems.data })
      .from(chatkitItems)
      .where(and(eq(chatkitItems.threadId, threadId), eq(chatkitItems.id, itemId), eq(chatkitItems.userId, ctx.userId)))
      .limit(1);
    if (!row) throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    return row.data as unknown as ThreadItem;
  }

  async deleteThreadItem(threadId: string, itemId: string, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    await db
      .delete(chatkitItems)
      .where(
        and(eq(chatkitItems.threadId, threadId), eq(chatkitItems.id, itemId), eq(chatkitItems.userId, ctx.userId)),
      );
  }

  // ------------------------------------------------------------------------------ attachments

  async saveAttachment(attachment: Attachment, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    const data = attachment as unknown as Record<string, unknown>;
    const values = {
      threadId: attachment.thread_id ?? null,
      mimeType: attachment.mime_type,
      name: attachment.name,
      data,
    };
    const rows = await db
      .insert(chatkitAttachments)
      .values({ id: attachment.id, userId: ctx.userId, ...values })
      .onConflictDoUpdate({
        target: chatkitAttachments.id,
        set: values,
        setWhere: eq(chatkitAttachments.userId, ctx.userId),
      })
      .returning({ id: chatkitAttachments.id });
    if (rows.length === 0) throw new NotFoundError(`Attachment ${attachment.id} not found`);
  }

  async loadAttachment(attachmentId: string, ctx: ChatKitContext): Promise<Attachment> {
    const db = await this.db();
    const [row] = await db
      .select({ data: chatkitAttachments.data })
      .from(chatkitAttachments)
      .where(and(eq(chatkitAttachments.id, attachmentId), eq(chatkitAttachments.userId, ctx.userId)))
      .limit(1);
    if (!row) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return row.data as unknown as Attachment;
  }

  async deleteAttachment(attachmentId: string, ctx: ChatKitContext): Promise<void> {
    const db = await this.db();
    await db
      .delete(chatkitAttachments)
      .where(and(eq(chatkitAttachments.id, attachmentId), eq(chatkitAttachments.userId, ctx.userId)));
  }

  /** Store the uploaded bytes of an attachment the user owns; clears its upload descriptor. */
  async putAttachmentBytes(attachmentId: string, bytes: Uint8Array, ctx: ChatKitContext): Promise<Attachment> {
    const db = await this.db();
    const rows = await db
      .update(chatkitAttachments)
      .set({
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        uploadedAt: sql`now()`,
        declaredSize: bytes.byteLength,
        data: sql`${chatkitAttachments.data} - 'upload_descriptor'`,
      })
      .where(and(eq(chatkitAttachments.id, attachmentId), eq(chatkitAttachments.userId, ctx.userId)))
      .returning({ data: chatkitAttachments.data });
    const row = rows[0];
    if (!row) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return row.data as unknown as Attachment;
  }

  /** The stored bytes (null until uploaded) of an attachment the user owns. */
  async getAttachmentBytes(
    attachmentId: string,
    ctx: ChatKitContext,
  ): Promise<{ bytes: Uint8Array | null; mimeType: string; name: string }> {
    const db = await this.db();
    const [row] = await db
      .select({ bytes: chatkitAttachments.bytes, mimeType: chatkitAttachments.mimeType, name: chatkitAttachments.name })
      .from(chatkitAttachments)
      .where(and(eq(chatkitAttachments.id, attachmentId), eq(chatkitAttachments.userId, ctx.userId)))
      .limit(1);
    if (!row) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return { bytes: row.bytes ? new Uint8Array(row.bytes) : null, mimeType: row.mimeType, name: row.name };
  }
}

function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { data: rows, has_more: false };
  const data = rows.slice(0, limit);
  return { data, has_more: true, after: data[data.length - 1]!.id };
}

/** The assistant's store: thread ids as `wideId("thr")`; item ids keep the protocol's default (`msg_` + 8 hex). */
class AssistantStore extends PostgresChatKitStore {
  override generateThreadId(_context: ChatKitContext): string {
    return wideId("thr");
  }
}

export const chatStore = new AssistantStore();
