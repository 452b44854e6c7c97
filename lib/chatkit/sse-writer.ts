/**
 * The SSE frame writer of one stream: `emit` queues a `data:` frame; the first frame after a
 * quiet spell leaves at once and the frames produced after it in the same turn of the event loop
 * leave as one chunk (a burst of deltas — one network read of the model's stream holds many —
 * costs two writes, not one each), `emit` reports back-pressure and `drain`
 * waits it out, `close` flushes and ends the stream.
 */
import { utf8 } from "./serialize";

/** Runs `fn` once the current burst of work (and its microtasks) is over. */
const nextTurn: (fn: () => void) => void =
  typeof setImmediate === "function" ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

export class SseWriter {
  readonly stream: ReadableStream<Uint8Array>;
  /** No more frames go out: closed by us, or the consumer went away. */
  closed = false;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private buffered = "";
  private flushQueued = false;
  private waiter: (() => void) | null = null;
  private readonly flushSoon = () => this.flush();

  /** `onCancel` runs when the consumer cancels the stream (the client went away). */
  constructor(onCancel: (reason: unknown) => void) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => this.wake(),
        cancel: onCancel,
      },
      { highWaterMark: 64 },
    );
  }

  /** Queue one frame; true when the consumer is behind (the caller should await `drain`). */
  emit(json: string): boolean {
    if (this.closed) return false;
    if (this.flushQueued) {
      this.buffered += "data: " + json + "\n\n";
    } else {
      // Leading edge: the first frame after a quiet spell (the first token, the response headers)
      // leaves at once; the rest of its burst waits for the end of the turn.
      this.flushQueued = true;
      nextTurn(this.flushSoon);
      this.controller.enqueue(utf8.encode("data: " + json + "\n\n"));
    }
    return (this.controller.desiredSize ?? 1) <= 0;
  }

  /** Settles when the consumer wants more (or the stream is over). */
  drain(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise<void>((r) => (this.waiter = r));
  }

  /** Sends what is buffered and ends the stream. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      this.controller.close();
    } catch {
      /* already cancelled */
    }
  }

  /** The consumer is gone: drop further frames and release a pending `drain`. */
  abandon(): void {
    this.closed = true;
    this.wake();
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.closed || this.buffered === "") return;
    const chunk = this.buffered;
    this.buffered = "";
    this.controller.enqueue(utf8.encode(chunk));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w();
  }
}
