import { AsyncLocalStorage } from "node:async_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { startTurnDeadline } from "./turn-deadline";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `make` for `n` requests whose async context reaches their deadline, as a request's does. */
async function requestsCollected(n: number, make: () => { signal: AbortSignal; clear?: () => void }) {
  const als = new AsyncLocalStorage<{ payload: number[]; signal?: AbortSignal }>();
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < n; i++) {
    const store: { payload: number[]; signal?: AbortSignal } = { payload: new Array<number>(1000).fill(i) };
    refs.push(new WeakRef(store));
    await als.run(store, async () => {
      const deadline = make();
      store.signal = deadline.signal;
      await nextTask(); // the turn
      deadline.clear?.();
    });
  }
  await nextTask(); // WeakRef targets live until the end of the job that made them
  gc();
  await nextTask();
  gc();
  return refs.filter((r) => r.deref() === undefined).length;
}

describe("turn deadline", () => {
  it("aborts its signal with a TimeoutError once the time is up", async () => {
    const deadline = startTurnDeadline(5);
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve, { once: true }));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("never aborts once cleared", async () => {
    const deadline = startTurnDeadline(5);
    deadline.clear();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.signal.aborted).toBe(false);
  });

  it("lets every finished request be collected, though the request's context reaches the deadline", async () => {
    expect(await requestsCollected(200, () => startTurnDeadline(60_000))).toBe(200);
  });

  it.runIf(process.versions.node.startsWith("20."))(
    "proves the check: on Node 20 AbortSignal.timeout keeps such requests alive",
    async () => {
      expect(await requestsCollected(50, () => ({ signal: AbortSignal.timeout(60_000) }))).toBe(0);
    },
  );
});
