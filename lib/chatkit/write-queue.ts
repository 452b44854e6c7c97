/**
 * The store writes of one stream, run one after another in the order they were queued: the
 * request's own writes (a new thread, the user message) first, then what the producer's events
 * and thread changes say. The token stream does not wait for them; the stream's end does. After
 * the first failure nothing more is written (later writes would build on the missing one).
 */
export class WriteQueue {
  /** The first write that failed, if any. */
  failure: { error: unknown } | null = null;
  private tail: Promise<void> = Promise.resolve();

  /** Queue a write without waiting for it. */
  push(write: () => Promise<void>): void {
    this.tail = this.tail
      .then(() => (this.failure ? undefined : write()))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  /** Queue a write and wait until it (and everything before it) is stored; throws the first failure. */
  async run(write: () => Promise<void>): Promise<void> {
    this.push(write);
    await this.tail;
    if (this.failure) throw this.failure.error;
  }

  /** Settles when every write queued so far has finished (never rejects; see `failure`). */
  settled(): Promise<void> {
    return this.tail;
  }
}
