/**
 * The app server's own heap, read through the Node inspector it was started with
 * (`--inspect=127.0.0.1:0`): a full garbage collection on demand and `process.memoryUsage()`
 * after it. Only the soak case uses it; the product never exposes a way to force a GC.
 */
import WebSocket from "ws";

export type HeapFigures = { heapUsedMb: number; rssMb: number };

/** The inspector's WebSocket URL from the server's output ("Debugger listening on ws://…"). */
export function inspectorUrl(log: string[]): string | undefined {
  for (const line of log) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: unknown };
      if (msg.id === undefined) return;
      const done = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      done?.(msg.error ? Promise.reject(new Error(JSON.stringify(msg.error))) : msg.result);
    });
  }

  static async connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new Inspector(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Heap used and RSS after full collections (several, so finalizers and weak callbacks have run). */
  async heapAfterGc(): Promise<HeapFigures> {
    for (let i = 0; i < 3; i++) {
      await this.send("HeapProfiler.collectGarbage");
      await new Promise((r) => setTimeout(r, 200));
    }
    const result = (await this.send("Runtime.evaluate", {
      expression: "JSON.stringify(process.memoryUsage())",
      returnByValue: true,
    })) as { result: { value: string } };
    const usage = JSON.parse(result.result.value) as { heapUsed: number; rss: number };
    return { heapUsedMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 };
  }

  close(): void {
    this.socket.close();
  }
}
