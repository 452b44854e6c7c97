/**
 * Files and vector stores as the real API keeps them, typed with the SDK's own types so an SDK
 * upgrade that moves a field fails the typecheck:
 *
 * - an attached file is `in_progress` and is indexed in the background (after `ingestion.delayMs`),
 *   ending `completed`, or `failed` with a `last_error` when a failure was armed
 *   (`failNextIngestion`); only completed files are found by search;
 * - a store with `expires_after` expires once untouched for that many days on the fake's clock
 *   (`advanceClock`, or `expireVectorStore` at once): it is still listed, with status `expired`,
 *   and refuses new files (the status code of that refusal is not documented: 400 here);
 * - deleting a file removes it from every store (`file_counts`, `usage_bytes`);
 * - file lists honour `limit`, `order`, `after`, `before` and `filter`, with `has_more`.
 */
import type OpenAI from "openai";
import { z } from "zod";
import { FakeApiError, parse } from "./api-error";
import { newId, nowSeconds } from "./wire";
import type { SearchResult } from "./script";

type FileObject = OpenAI.FileObject;
type VectorStoreObject = OpenAI.VectorStores.VectorStore;
type VectorStoreFile = OpenAI.VectorStores.VectorStoreFile;
type LastError = OpenAI.VectorStores.VectorStoreFile.LastError;

export type StoredFile = FileObject & { content: Buffer };
/** A store as kept here: the wire object without its computed counts, plus its files. */
export type StoredVectorStore = Omit<VectorStoreObject, "file_counts" | "status"> & {
  files: Map<string, VectorStoreFile>;
  /** Set once the store expired; an expired store never comes back. */
  expired: boolean;
};

const PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data"] as const satisfies FileObject["purpose"][];

const attributes = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length <= 16, "at most 16 attributes");

export const vectorStoreCreateSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  file_ids: z.array(z.string()).optional(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((v) => Object.keys(v).length <= 16)
    .optional(),
  expires_after: z.object({ anchor: z.literal("last_active_at"), days: z.number().int().min(1).max(365) }).optional(),
  chunking_strategy: z.unknown().optional(),
});

export const vectorStoreFileCreateSchema = z.object({
  file_id: z.string().min(1),
  attributes: attributes.nullable().optional(),
  chunking_strategy: z.unknown().optional(),
});

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().optional(),
  before: z.string().optional(),
  filter: z.enum(["in_progress", "completed", "failed", "cancelled"]).optional(),
});

const DEFAULT_CHUNKING: OpenAI.VectorStores.StaticFileChunkingStrategyObject = {
  type: "static",
  static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 },
};

/** The list envelope of the API: the SDK pages on `has_more`, asking for `after=<last id>`. */
export type ListPage<T> = {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
};

export type IngestionFailure = { code: LastError["code"]; message: string };
export type IngestionFailureInput = Partial<IngestionFailure> & { times?: number };

export class VectorStoreState {
  readonly files = new Map<string, StoredFile>();
  readonly vectorStores = new Map<string, StoredVectorStore>();
  /** Background indexing: how long a file stays `in_progress`; `paused` holds every file there. */
  readonly ingestion = { delayMs: 20, paused: false };
  private failures: IngestionFailure[] = [];
  private timers = new Set<NodeJS.Timeout>();
  /** Seconds added to the real clock (store expiry). */
  private clockOffset = 0;

  now(): number {
    return nowSeconds() + this.clockOffset;
  }

  /** Moves the fake's clock forward; stores untouched past their `expires_after` expire. */
  advanceClock(seconds: number): void {
    this.clockOffset += seconds;
  }

  /** The next `times` files to finish indexing end `failed` with this error. */
  failNextIngestion({ code = "server_error", message, times = 1 }: IngestionFailureInput = {}): void {
    const failure = { code, message: message ?? `Indexing failed (${code}).` };
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /** Holds every file `in_progress` until resumed. */
  pauseIngestion(): void {
    this.ingestion.paused = true;
  }

  /** Resumes indexing: files held while paused finish now (in attach order). */
  resumeIngestion(): void {
    this.ingestion.paused = false;
    for (const store of this.vectorStores.values())
      for (const entry of store.files.values()) if (entry.status === "in_progress") this.finishIngestion(entry);
  }

  createFile(filename: string, purpose: string, content: Buffer, expiresAfterSeconds?: number): FileObject {
    const known = PURPOSES.find((p) => p === purpose);
    if (!known)
      throw new FakeApiError(
        400,
        `Invalid value for 'purpose': '${purpose}'.`,
        "purpose",
        purpose ? "invalid_value" : null,
      );
    const file: StoredFile = {
      id: newId("file-", 11),
      object: "file",
      bytes: content.byteLength,
      created_at: nowSeconds(),
      filename,
      purpose: known,
      status: "processed",
      ...(expiresAfterSeconds ? { expires_at: nowSeconds() + expiresAfterSeconds } : {}),
      content,
    };
    this.files.set(file.id, file);
    return publicFile(file);
  }

  /** Deletes a file and, as the API says, removes it from every vector store. */
  deleteFile(id: string): OpenAI.FileDeleted {
    if (!this.files.delete(id)) throw new FakeApiError(404, `No such File object: ${id}`, "id", "not_found");
    for (const store of this.vectorStores.values()) this.removeEntry(store, id);
    return { id, object: "file", deleted: true };
  }

  createVectorStore(body: unknown): VectorStoreObject {
    const input = parse(vectorStoreCreateSchema, body ?? {});
    const created = this.now();
    const store: StoredVectorStore = {
      id: newId("vs_"),
      object: "vector_store",
      created_at: created,
      name: input.name ?? "",
      usage_bytes: 0,
      last_active_at: created,
      metadata: input.metadata ?? {},
      ...(input.expires_after ? { expires_after: input.expires_after } : {}),
      expires_at: input.expires_after ? created + input.expires_after.days * 86_400 : null,
      files: new Map(),
      expired: false,
    };
    this.vectorStores.set(store.id, store);
    for (const fileId of input.file_ids ?? []) this.attachFile(store.id, { file_id: fileId });
    return publicStore(this.refresh(store));
  }

  /** Expires a store now, as if it had been left untouched past its `expires_after`. */
  expireVectorStore(id: string): VectorStoreObject {
    const store = this.store(id);
    store.expired = true;
    return publicStore(store);
  }

  getVectorStore(id: string): VectorStoreObject {
    return publicStore(this.store(id));
  }

  deleteVectorStore(id: string): OpenAI.VectorStores.VectorStoreDeleted {
    this.store(id);
    this.vectorStores.delete(id);
    return { id, object: "vector_store.deleted", deleted: true };
  }

  attachFile(storeId: string, body: unknown): VectorStoreFile {
    const store = this.store(storeId);
    const input = parse(vectorStoreFileCreateSchema, body);
    if (store.expired)
      throw new FakeApiError(400, `Vector store ${store.id} has expired and cannot be modified.`, null, null);
    const file = this.files.get(input.file_id);
    if (!file) throw new FakeApiError(404, `No file found with id '${input.file_id}'.`, "file_id", "not_found");
    this.removeEntry(store, file.id); // attaching again replaces the entry
    // The vector_store.file id is the file id.
    const entry: VectorStoreFile = {
      id: file.id,
      object: "vector_store.file",
      created_at: this.now(),
      vector_store_id: store.id,
      status: "in_progress",
      usage_bytes: 0,
      last_error: null,
      attributes: input.attributes ?? null,
      chunking_strategy: DEFAULT_CHUNKING,
    };
    store.files.set(file.id, entry);
    this.touch(store);
    if (!this.ingestion.paused) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.finishIngestion(entry);
      }, this.ingestion.delayMs);
      timer.unref();
      this.timers.add(timer);
    }
    return { ...entry };
  }

  getStoreFile(storeId: string, fileId: string): VectorStoreFile {
    const entry = this.store(storeId).files.get(fileId);
    if (!entry)
      throw new FakeApiError(404, `No file found with id '${fileId}' in vector store '${storeId}'.`, null, "not_found");
    return { ...entry };
  }

  /** One page of a store's files, as `GET /vector_stores/{id}/files` answers it. */
  listStoreFiles(storeId: string, query: Record<string, string> = {}): ListPage<VectorStoreFile> {
    const store = this.store(storeId);
    const { limit, order, after, before, filter } = parse(listQuerySchema, query);
    let all = [...store.files.values()].filter((f) => !filter || f.status === filter);
    if (order === "desc") all = all.reverse(); // newest first (entries are kept in attach order)
    const start = after ? all.findIndex((f) => f.id === after) + 1 : 0;
    const end = before ? all.findIndex((f) => f.id === before) : all.length;
    const window = all.slice(start, end < 0 ? all.length : end);
    const data = window.slice(0, limit).map((f) => ({ ...f }));
    return {
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: window.length > limit,
    };
  }

  detachFile(storeId: string, fileId: string): OpenAI.VectorStores.VectorStoreFileDeleted {
    const store = this.store(storeId);
    if (!this.removeEntry(store, fileId))
      throw new FakeApiError(404, `No file found with id '${fileId}'.`, null, "not_found");
    return { id: fileId, object: "vector_store.file.deleted", deleted: true };
  }

  /** Word-overlap search over the indexed files of live stores (good enough for recall tests). */
  search(storeIds: string[], query: string, max = 10): SearchResult[] {
    const words = new Set(query.toLowerCase().match(/[a-z0-9']+/g) ?? []);
    const results: SearchResult[] = [];
    for (const storeId of storeIds) {
      const store = this.vectorStores.get(storeId);
      if (!store || this.refresh(store).expired) continue;
      this.touch(store);
      for (const entry of store.files.values()) {
        const file = this.files.get(entry.id);
        if (!file || entry.status !== "completed") continue; // not searchable until indexed
        const text = file.content.toString("utf8");
        const hits = (text.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => words.has(w)).length;
        results.push({
          file_id: file.id,
          filename: file.filename,
          score: Math.min(1, 0.5 + hits / 20),
          text,
          attributes: entry.attributes ?? {},
        });
      }
    }
    return results.sort((a, b) => b.score - a.score).slice(0, max);
  }

  searchPage(storeId: string, body: unknown) {
    const input = parse(
      z.object({
        query: z.union([z.string(), z.array(z.string())]),
        max_num_results: z.number().int().min(1).max(50).optional(),
      }),
      body,
    );
    const query = Array.isArray(input.query) ? input.query.join(" ") : input.query;
    this.store(storeId);
    const data: OpenAI.VectorStores.VectorStoreSearchResponse[] = this.search(
      [storeId],
      query,
      input.max_num_results ?? 10,
    ).map((r) => ({
      file_id: r.file_id,
      filename: r.filename,
      score: r.score,
      attributes: r.attributes as Record<string, string | number | boolean>,
      content: [{ type: "text", text: r.text }],
    }));
    return {
      object: "vector_store.search_results.page",
      search_query: [query],
      data,
      has_more: false,
      next_page: null,
    };
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.files.clear();
    this.vectorStores.clear();
    this.failures = [];
    this.ingestion.delayMs = 20;
    this.ingestion.paused = false;
    this.clockOffset = 0;
  }

  private store(id: string): StoredVectorStore {
    const store = this.vectorStores.get(id);
    if (!store) throw new FakeApiError(404, `No vector store found with id '${id}'.`, null, "not_found");
    return this.refresh(store);
  }

  /** Marks the store expired once its expiry time has passed on the fake's clock. */
  private refresh(store: StoredVectorStore): StoredVectorStore {
    if (!store.expired && store.expires_at != null && store.expires_at <= this.now()) store.expired = true;
    return store;
  }

  /** Activity moves a `last_active_at` expiry forward. */
  private touch(store: StoredVectorStore): void {
    store.last_active_at = this.now();
    if (store.expires_after) store.expires_at = store.last_active_at + store.expires_after.days * 86_400;
  }

  private finishIngestion(entry: VectorStoreFile): void {
    if (entry.status !== "in_progress") return;
    const store = this.vectorStores.get(entry.vector_store_id);
    if (store?.files.get(entry.id) !== entry) return; // detached or deleted meanwhile
    const failure = this.failures.shift();
    if (failure) {
      entry.status = "failed";
      entry.last_error = failure;
      return;
    }
    entry.status = "completed";
    entry.usage_bytes = this.files.get(entry.id)?.bytes ?? 0;
    store.usage_bytes += entry.usage_bytes;
  }

  private removeEntry(store: StoredVectorStore, fileId: string): boolean {
    const entry = store.files.get(fileId);
    if (!entry) return false;
    store.files.delete(fileId);
    store.usage_bytes -= entry.usage_bytes;
    return true;
  }
}

function publicFile(file: StoredFile): FileObject {
  const { content: _content, ...rest } = file;
  return rest;
}

function publicStore(store: StoredVectorStore): VectorStoreObject {
  const { files, expired, ...rest } = store;
  const entries = [...files.values()];
  const count = (status: VectorStoreFile["status"]) => entries.filter((f) => f.status === status).length;
  const file_counts = {
    in_progress: count("in_progress"),
    completed: count("completed"),
    failed: count("failed"),
    cancelled: count("cancelled"),
    total: entries.length,
  };
  const status = expired ? "expired" : file_counts.in_progress > 0 ? "in_progress" : "completed";
  return { ...rest, status, file_counts };
}
