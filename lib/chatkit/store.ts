/** The persistence contract of the ChatKit server (PROTOCOL.md §9) and an in-memory implementation. */
import { NotFoundError } from "./errors";
import type {
  Attachment,
  AttachmentCreateParams,
  Page,
  SortOrder,
  StoreItemType,
  ThreadItem,
  ThreadMetadata,
} from "./types";

/**
 * Everything the server persists. Every method receives the request context; implementations
 * scope all reads and writes to it (another tenant's data is "not found" / invisible).
 */
export interface Store<TContext> {
  generateThreadId(context: TContext): string;
  generateItemId(itemType: StoreItemType, thread: ThreadMetadata, context: TContext): string;
  /** Throws NotFoundError when missing or not visible to the context. */
  loadThread(threadId: string, context: TContext): Promise<ThreadMetadata>;
  /** Upsert of the whole metadata. */
  saveThread(thread: ThreadMetadata, context: TContext): Promise<void>;
  /** Ordered by created_at (ties: insertion order); `after` is an exclusive item-id cursor. */
  loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>>;
  /** Insert (upsert when the id already exists). */
  addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** Replace the item with the same id (its type may change). */
  saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  /** Throws NotFoundError when missing. */
  loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem>;
  /** No error when missing. */
  deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void>;
  loadThreads(limit: number, after: string | null, order: SortOrder, context: TContext): Promise<Page<ThreadMetadata>>;
  /** Deletes the thread and all its items. */
  deleteThread(threadId: string, context: TContext): Promise<void>;
  /**
   * Creates a thread with its first item and claims the item's attachments for it, all or
   * nothing: after a failure none of it exists. `StoreBase` composes it from the writes above.
   */
  createThread(thread: ThreadMetadata, first: ThreadItem, attachments: Attachment[], context: TContext): Promise<void>;
  /**
   * Optional: throws a ChatKitRequestError (400) when the store could never hold this item, e.g.
   * characters its database refuses. Checked before a stream opens, so such input gets a JSON
   * answer instead of a failed write mid-stream.
   */
  checkItem?(item: ThreadItem): void;
  /** Upsert. */
  saveAttachment(attachment: Attachment, context: TContext): Promise<void>;
  /** Throws NotFoundError when missing. */
  loadAttachment(attachmentId: string, context: TContext): Promise<Attachment>;
  deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
}

/** Attachment bytes (optional; required for `attachments.*`). */
export interface AttachmentStore<TContext> {
  /** Phase 1 of a two-phase upload: build the record (with `upload_descriptor`); the core saves it. */
  createAttachment(input: AttachmentCreateParams, context: TContext): Promise<Attachment>;
  /** Delete the bytes; the core then deletes the metadata through the Store. */
  deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
  generateAttachmentId?(mimeType: string, context: TContext): string;
}

export const ID_PREFIXES: Record<StoreItemType, string> = {
  thread: "thr",
  message: "msg",
  tool_call: "tc",
  task: "tsk",
  workflow: "wf",
  attachment: "atc",
  sdk_hidden_context: "shcx",
};

/** `<prefix>_<8 hex chars>`. */
export function defaultId(prefix: string): string {
  return prefix + "_" + crypto.randomUUID().replace(/-/g, "").slice(0, 8);
}

let lastStamp = 0;
/**
 * Now as an ISO-8601 UTC string, strictly increasing within this process (a later call never
 * returns an equal or earlier value), so items created in quick succession keep their order.
 */
export function nowIso(): string {
  let t = Date.now();
  if (t <= lastStamp) t = lastStamp + 1;
  lastStamp = t;
  return new Date(t).toISOString();
}

/** Base class giving the default id generators; subclasses may override them. */
export abstract class StoreBase<TContext> implements Store<TContext> {
  generateThreadId(_context: TContext): string {
    return defaultId(ID_PREFIXES.thread);
  }
  generateItemId(itemType: StoreItemType, _thread: ThreadMetadata, _context: TContext): string {
    return defaultId(ID_PREFIXES[itemType] ?? "itm");
  }
  abstract loadThread(threadId: string, context: TContext): Promise<ThreadMetadata>;
  abstract saveThread(thread: ThreadMetadata, context: TContext): Promise<void>;
  abstract loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>>;
  abstract addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  abstract saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void>;
  abstract loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem>;
  abstract deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void>;
  abstract loadThreads(
    limit: number,
    after: string | null,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>>;
  abstract deleteThread(threadId: string, context: TContext): Promise<void>;
  async createThread(
    thread: ThreadMetadata,
    first: ThreadItem,
    attachments: Attachment[],
    context: TContext,
  ): Promise<void> {
    await this.saveThread(thread, context);
    try {
      for (const a of attachments) await this.saveAttachment({ ...a, thread_id: thread.id }, context);
      await this.addThreadItem(thread.id, first, context);
    } catch (err) {
      await this.deleteThread(thread.id, context).catch(() => undefined);
      throw err;
    }
  }
  abstract saveAttachment(attachment: Attachment, context: TContext): Promise<void>;
  abstract loadAttachment(attachmentId: string, context: TContext): Promise<Attachment>;
  abstract deleteAttachment(attachmentId: string, context: TContext): Promise<void>;
}

/**
 * Cursor pagination over a list already sorted ascending: `after` is exclusive; an unknown
 * cursor yields an empty page. `after` of the result = last id when `has_more`.
 */
export function paginate<T extends { id: string }>(
  ascending: T[],
  after: string | null,
  limit: number,
  order: SortOrder,
): Page<T> {
  const list = order === "desc" ? ascending.slice().reverse() : ascending;
  let start = 0;
  if (after != null) {
    const at = list.findIndex((x) => x.id === after);
    if (at < 0) return { data: [], has_more: false };
    start = at + 1;
  }
  const data = list.slice(start, start + limit);
  const hasMore = start + limit < list.length;
  const last = data[data.length - 1];
  return hasMore && last ? { data, has_more: true, after: last.id } : { data, has_more: false };
}

type MemThread = { meta: ThreadMetadata; seq: number; items: { item: ThreadItem; seq: number }[] };
type MemScope = { threads: Map<string, MemThread>; attachments: Map<string, Attachment> };

const clone = <T>(v: T): T => structuredClone(v);

/** In-memory Store for tests and demos. `scopeOf(context)` names the tenant (default: one shared tenant). */
export class InMemoryStore<TContext> extends StoreBase<TContext> {
  private scopes = new Map<string, MemScope>();
  private seq = 0;

  constructor(private readonly scopeOf: (context: TContext) => string = () => "default") {
    super();
  }

  private scope(context: TContext): MemScope {
    const key = this.scopeOf(context);
    let s = this.scopes.get(key);
    if (!s) {
      s = { threads: new Map(), attachments: new Map() };
      this.scopes.set(key, s);
    }
    return s;
  }

  private thread(threadId: string, context: TContext): MemThread {
    const t = this.scope(context).threads.get(threadId);
    if (!t) throw new NotFoundError(`Thread ${threadId} not found`);
    return t;
  }

  async loadThread(threadId: string, context: TContext): Promise<ThreadMetadata> {
    return clone(this.thread(threadId, context).meta);
  }

  async saveThread(thread: ThreadMetadata, context: TContext): Promise<void> {
    const threads = this.scope(context).threads;
    const existing = threads.get(thread.id);
    if (existing) existing.meta = clone(thread);
    else threads.set(thread.id, { meta: clone(thread), seq: ++this.seq, items: [] });
  }

  private sortedItems(t: MemThread): ThreadItem[] {
    return t.items
      .slice()
      .sort((a, b) =>
        a.item.created_at < b.item.created_at ? -1 : a.item.created_at > b.item.created_at ? 1 : a.seq - b.seq,
      )
      .map((x) => x.item);
  }

  async loadThreadItems(
    threadId: string,
    after: string | null,
    limit: number,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadItem>> {
    const t = this.scope(context).threads.get(threadId);
    if (!t) return { data: [], has_more: false };
    const page = paginate(this.sortedItems(t), after, limit, order);
    return { ...page, data: page.data.map(clone) };
  }

  async addThreadItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    const t = this.thread(threadId, context);
    const at = t.items.findIndex((x) => x.item.id === item.id);
    if (at >= 0) t.items[at] = { item: clone(item), seq: t.items[at]!.seq };
    else t.items.push({ item: clone(item), seq: ++this.seq });
  }

  async saveItem(threadId: string, item: ThreadItem, context: TContext): Promise<void> {
    const t = this.thread(threadId, context);
    const at = t.items.findIndex((x) => x.item.id === item.id);
    if (at >= 0) t.items[at] = { item: clone(item), seq: t.items[at]!.seq };
    else t.items.push({ item: clone(item), seq: ++this.seq });
  }

  async loadItem(threadId: string, itemId: string, context: TContext): Promise<ThreadItem> {
    const t = this.scope(context).threads.get(threadId);
    const found = t?.items.find((x) => x.item.id === itemId);
    if (!found) throw new NotFoundError(`Item ${itemId} not found in thread ${threadId}`);
    return clone(found.item);
  }

  async deleteThreadItem(threadId: string, itemId: string, context: TContext): Promise<void> {
    const t = this.scope(context).threads.get(threadId);
    if (t) t.items = t.items.filter((x) => x.item.id !== itemId);
  }

  async loadThreads(
    limit: number,
    after: string | null,
    order: SortOrder,
    context: TContext,
  ): Promise<Page<ThreadMetadata>> {
    const all = [...this.scope(context).threads.values()]
      .sort((a, b) =>
        a.meta.created_at < b.meta.created_at ? -1 : a.meta.created_at > b.meta.created_at ? 1 : a.seq - b.seq,
      )
      .map((t) => t.meta);
    const page = paginate(all, after, limit, order);
    return { ...page, data: page.data.map(clone) };
  }

  async deleteThread(threadId: string, context: TContext): Promise<void> {
    this.scope(context).threads.delete(threadId);
  }

  async saveAttachment(attachment: Attachment, context: TContext): Promise<void> {
    this.scope(context).attachments.set(attachment.id, clone(attachment));
  }

  async loadAttachment(attachmentId: string, context: TContext): Promise<Attachment> {
    const a = this.scope(context).attachments.get(attachmentId);
    if (!a) throw new NotFoundError(`Attachment ${attachmentId} not found`);
    return clone(a);
  }

  async deleteAttachment(attachmentId: string, context: TContext): Promise<void> {
    this.scope(context).attachments.delete(attachmentId);
  }
}
