/**
 * Benchmark yardstick: `chatkit-node-backend-sdk` (the TypeScript ChatKit server on npm, a
 * bench-only dev dependency that never reaches the app's bundle) behind plain `node:http`,
 * relaying the same fake model stream as our server: `respond` streams an OpenAI Responses call
 * and yields the assistant message as ChatKit events. Its store is in memory (no database), the
 * least any ChatKit server on it does. Run as its own process:
 * `tsx scripts/bench/peer-server.ts <port>` (OPENAI_BASE_URL, OPENAI_API_KEY).
 */
import http from "node:http";
import OpenAI from "openai";
import {
  ChatKitServer,
  Store,
  StoreNotFoundError,
  type Attachment,
  type Page,
  type ThreadItem,
  type ThreadMetadata,
  type ThreadStreamEvent,
  type UserMessageItem,
} from "chatkit-node-backend-sdk";

type Ctx = { userId: string };
const port = Number(process.argv[2] ?? 0);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });

function page<T extends { id: string }>(all: T[], after: string | null, limit: number, order: string): Page<T> {
  const list = order === "desc" ? [...all].reverse() : all;
  const start = after ? list.findIndex((x) => x.id === after) + 1 : 0;
  const data = list.slice(start, start + limit);
  const hasMore = start + limit < list.length;
  return { data, has_more: hasMore, after: hasMore ? (data.at(-1)?.id ?? null) : null } as Page<T>;
}

class MemoryStore extends Store<Ctx> {
  private threads = new Map<string, ThreadMetadata>();
  private items = new Map<string, ThreadItem[]>();
  private attachments = new Map<string, Attachment>();
  async loadThread(id: string): Promise<ThreadMetadata> {
    const t = this.threads.get(id);
    if (!t) throw new StoreNotFoundError(`Thread ${id} not found`);
    return t;
  }
  async saveThread(thread: ThreadMetadata): Promise<void> {
    this.threads.set(thread.id, thread);
  }
  async deleteThread(id: string): Promise<void> {
    this.threads.delete(id);
    this.items.delete(id);
  }
  async loadThreads(limit: number, after: string | null, order: "asc" | "desc"): Promise<Page<ThreadMetadata>> {
    return page([...this.threads.values()], after, limit, order);
  }
  async loadThreadItems(id: string, after: string | null, limit: number, order: "asc" | "desc") {
    return page(this.items.get(id) ?? [], after, limit, order);
  }
  async addThreadItem(id: string, item: ThreadItem): Promise<void> {
    const list = this.items.get(id) ?? [];
    const at = list.findIndex((x) => x.id === item.id);
    if (at >= 0) list[at] = item;
    else list.push(item);
    this.items.set(id, list);
  }
  async saveItem(id: string, item: ThreadItem): Promise<void> {
    await this.addThreadItem(id, item);
  }
  async loadItem(id: string, itemId: string): Promise<ThreadItem> {
    const item = this.items.get(id)?.find((x) => x.id === itemId);
    if (!item) throw new StoreNotFoundError(`Item ${itemId} not found`);
    return item;
  }
  async deleteThreadItem(id: string, itemId: string): Promise<void> {
    this.items.set(
      id,
      (this.items.get(id) ?? []).filter((x) => x.id !== itemId),
    );
  }
  async saveAttachment(a: Attachment): Promise<void> {
    this.attachments.set(a.id, a);
  }
  async loadAttachment(id: string): Promise<Attachment> {
    const a = this.attachments.get(id);
    if (!a) throw new StoreNotFoundError(`Attachment ${id} not found`);
    return a;
  }
  async deleteAttachment(id: string): Promise<void> {
    this.attachments.delete(id);
  }
}

class PeerServer extends ChatKitServer<Ctx> {
  async *respond(thread: ThreadMetadata, input: UserMessageItem | null): AsyncGenerator<ThreadStreamEvent> {
    const text = (input?.content ?? []).map((part) => ("text" in part ? part.text : "")).join(" ");
    const stream = await client.responses.create({ model: "gpt-4.1-mini", input: text, stream: true, store: false });
    const id = this.store.generateItemId("message", thread, { userId: "bench" });
    const created_at = new Date().toISOString();
    yield {
      type: "thread.item.added",
      item: { type: "assistant_message", id, thread_id: thread.id, created_at, content: [] },
    } as ThreadStreamEvent;
    let all = "";
    for await (const event of stream) {
      if (event.type !== "response.output_text.delta") continue;
      all += event.delta;
      yield {
        type: "thread.item.updated",
        item_id: id,
        update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: event.delta },
      } as ThreadStreamEvent;
    }
    yield {
      type: "thread.item.done",
      item: {
        type: "assistant_message",
        id,
        thread_id: thread.id,
        created_at,
        content: [{ type: "output_text", text: all, annotations: [] }],
      },
    } as ThreadStreamEvent;
  }
}

const chatkit = new PeerServer(new MemoryStore());

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    void (async () => {
      const result = await chatkit.process(Buffer.concat(chunks).toString("utf8"), { userId: "bench" });
      if (result.isStreaming) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        for await (const chunk of result) res.write(chunk);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(result.toJSON()));
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: err instanceof Error ? err.message : String(err) }));
    });
  });
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : port });
});
