/**
 * In-memory ChatKit sessions, files and vector stores (it is a fake of an external service, so
 * its state lives in the process). Validation follows the wire reference: it rejects what the
 * real API rejects, with the same error shape, so our code's bad requests show up in tests.
 */
import { z } from "zod";
import { newId, nowSeconds } from "./wire";
import type { SearchResult } from "./script";

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join(".") || null;
  throw new FakeApiError(
    400,
    `Invalid value for '${param ?? "body"}': ${issue?.message ?? "invalid"}`,
    param,
    "invalid_value",
  );
}

// --- ChatKit sessions -------------------------------------------------------------------

const primitiveSchema = z.union([z.string(), z.number(), z.boolean()]);
export const sessionCreateSchema = z.object({
  user: z.string().min(1),
  workflow: z.object({
    id: z.string().min(1),
    version: z.string().optional(),
    state_variables: z
      .record(z.string().min(1).max(64), primitiveSchema)
      .refine((v) => Object.keys(v).length <= 64, "at most 64 state variables")
      .optional(),
    tracing: z.object({ enabled: z.boolean() }).optional(),
  }),
  chatkit_configuration: z
    .object({
      automatic_thread_titling: z.object({ enabled: z.boolean() }).optional(),
      file_upload: z
        .object({
          enabled: z.boolean().optional(),
          max_file_size: z.number().int().min(1).max(512).optional(),
          max_files: z.number().int().min(1).optional(),
        })
        .optional(),
      history: z
        .object({ enabled: z.boolean().optional(), recent_threads: z.number().int().min(1).nullable().optional() })
        .optional(),
    })
    .optional(),
  expires_after: z.object({ anchor: z.literal("created_at"), seconds: z.number().int().min(1).max(600) }).optional(),
  rate_limits: z.object({ max_requests_per_1_minute: z.number().int().min(1) }).optional(),
});

export type ChatSession = ReturnType<typeof sessionResource>;

function sessionResource(body: z.infer<typeof sessionCreateSchema>) {
  const perMinute = body.rate_limits?.max_requests_per_1_minute ?? 10;
  const config = body.chatkit_configuration;
  return {
    id: newId("cksess_"),
    object: "chatkit.session" as const,
    status: "active" as "active" | "expired" | "cancelled",
    user: body.user,
    client_secret: newId("ek_fake_", 24),
    expires_at: nowSeconds() + (body.expires_after?.seconds ?? 600),
    max_requests_per_1_minute: perMinute,
    rate_limits: { max_requests_per_1_minute: perMinute },
    workflow: {
      id: body.workflow.id,
      version: body.workflow.version ?? null,
      state_variables: body.workflow.state_variables ?? null,
      tracing: { enabled: body.workflow.tracing?.enabled ?? true },
    },
    chatkit_configuration: {
      automatic_thread_titling: { enabled: config?.automatic_thread_titling?.enabled ?? true },
      file_upload: {
        enabled: config?.file_upload?.enabled ?? false,
        max_file_size: config?.file_upload?.max_file_size ?? 512,
        max_files: config?.file_upload?.max_files ?? 10,
      },
      history: { enabled: config?.history?.enabled ?? true, recent_threads: config?.history?.recent_threads ?? null },
    },
  };
}

// --- files and vector stores --------------------------------------------------------------

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

export type StoredFile = {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
  expires_at: number | null;
  status_details: null;
  content: Buffer;
};
type VectorStoreFile = {
  id: string;
  object: "vector_store.file";
  created_at: number;
  vector_store_id: string;
  status: "in_progress" | "completed";
  usage_bytes: number;
  last_error: null;
  attributes: Record<string, unknown> | null;
  chunking_strategy: unknown;
};
type VectorStore = {
  id: string;
  object: "vector_store";
  created_at: number;
  name: string;
  usage_bytes: number;
  status: "completed";
  last_active_at: number;
  metadata: Record<string, string>;
  expires_after: { anchor: "last_active_at"; days: number } | null;
  expires_at: number | null;
  files: Map<string, VectorStoreFile>;
};

const DEFAULT_CHUNKING = { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };

export class Resources {
  readonly sessions = new Map<string, ChatSession>();
  readonly files = new Map<string, StoredFile>();
  readonly vectorStores = new Map<string, VectorStore>();

  createSession(body: unknown): ChatSession {
    const session = sessionResource(parse(sessionCreateSchema, body));
    this.sessions.set(session.id, session);
    return session;
  }

  cancelSession(id: string): ChatSession {
    const session = this.sessions.get(id);
    if (!session) throw new FakeApiError(404, `No session found with id '${id}'.`, null, "not_found");
    session.status = "cancelled";
    return session;
  }

  createFile(
    filename: string,
    purpose: string,
    content: Buffer,
    expiresAfterSeconds?: number,
  ): Omit<StoredFile, "content"> {
    if (!purpose) throw new FakeApiError(400, "Missing required parameter: 'purpose'.", "purpose");
    const file: StoredFile = {
      id: newId("file-", 11),
      object: "file",
      bytes: content.byteLength,
      created_at: nowSeconds(),
      filename,
      purpose,
      status: "processed",
      expires_at: expiresAfterSeconds ? nowSeconds() + expiresAfterSeconds : null,
      status_details: null,
      content,
    };
    this.files.set(file.id, file);
    return publicFile(file);
  }

  deleteFile(id: string) {
    if (!this.files.delete(id)) throw new FakeApiError(404, `No such File object: ${id}`, "id", "not_found");
    return { id, object: "file", deleted: true };
  }

  createVectorStore(body: unknown) {
    const input = parse(vectorStoreCreateSchema, body ?? {});
    const created = nowSeconds();
    const store: VectorStore = {
      id: newId("vs_"),
      object: "vector_store",
      created_at: created,
      name: input.name ?? "",
      usage_bytes: 0,
      status: "completed",
      last_active_at: created,
      metadata: input.metadata ?? {},
      expires_after: input.expires_after ?? null,
      expires_at: input.expires_after ? created + input.expires_after.days * 86_400 : null,
      files: new Map(),
    };
    this.vectorStores.set(store.id, store);
    for (const fileId of input.file_ids ?? []) this.attachFile(store.id, { file_id: fileId });
    return publicStore(store);
  }

  private store(id: string): VectorStore {
    const store = this.vectorStores.get(id);
    if (!store) throw new FakeApiError(404, `No vector store found with id '${id}'.`, null, "not_found");
    return store;
  }

  getVectorStore(id: string) {
    return publicStore(this.store(id));
  }

  deleteVectorStore(id: string) {
    this.store(id);
    this.vectorStores.delete(id);
    return { id, object: "vector_store.deleted", deleted: true };
  }

  attachFile(storeId: string, body: unknown): VectorStoreFile {
    const store = this.store(storeId);
    const input = parse(vectorStoreFileCreateSchema, body);
    const file = this.files.get(input.file_id);
    if (!file) throw new FakeApiError(404, `No file found with id '${input.file_id}'.`, "file_id", "not_found");
    // The vector_store.file id is the file id; it completes on the first poll.
    const entry: VectorStoreFile = {
      id: file.id,
      object: "vector_store.file",
      created_at: nowSeconds(),
      vector_store_id: store.id,
      status: "in_progress",
      usage_bytes: file.bytes,
      last_error: null,
      attributes: input.attributes ?? null,
      chunking_strategy: input.chunking_strategy ?? DEFAULT_CHUNKING,
    };
    store.files.set(file.id, entry);
    store.usage_bytes += file.bytes;
    store.last_active_at = nowSeconds();
    return { ...entry };
  }

  getStoreFile(storeId: string, fileId: string): VectorStoreFile {
    const entry = this.store(storeId).files.get(fileId);
    if (!entry)
      throw new FakeApiError(404, `No file found with id '${fileId}' in vector store '${storeId}'.`, null, "not_found");
    const snapshot = { ...entry };
    entry.status = "completed"; // processing finishes after the first poll
    return snapshot;
  }

  listStoreFiles(storeId: string) {
    const data = [...this.store(storeId).files.values()].map((f) => ({ ...f }));
    return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false };
  }

  detachFile(storeId: string, fileId: string) {
    const store = this.store(storeId);
    if (!store.files.delete(fileId))
      throw new FakeApiError(404, `No file found with id '${fileId}'.`, null, "not_found");
    return { id: fileId, object: "vector_store.file.deleted", deleted: true };
  }

  /** Word-overlap search over the text of the stores' files (good enough for recall tests). */
  search(storeIds: string[], query: string, max = 10): SearchResult[] {
    const words = new Set(query.toLowerCase().match(/[a-z0-9']+/g) ?? []);
    const results: SearchResult[] = [];
    for (const storeId of storeIds) {
      for (const entry of this.vectorStores.get(storeId)?.files.values() ?? []) {
        const file = this.files.get(entry.id);
        if (!file) continue;
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
    const data = this.search([storeId], query, input.max_num_results ?? 10).map((r) => ({
      file_id: r.file_id,
      filename: r.filename,
      score: r.score,
      attributes: r.attributes,
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
    this.sessions.clear();
    this.files.clear();
    this.vectorStores.clear();
  }
}

function publicFile(file: StoredFile): Omit<StoredFile, "content"> {
  const { content: _content, ...rest } = file;
  return rest;
}

function publicStore(store: VectorStore) {
  const { files, ...rest } = store;
  const total = files.size;
  const completed = [...files.values()].filter((f) => f.status === "completed").length;
  return { ...rest, file_counts: { in_progress: total - completed, completed, failed: 0, cancelled: 0, total } };
}
