/**
 * Figures for the built-in chat's client core (lib/chatkit-client), printed, not asserted:
 * how long the reducer takes per text delta as a thread grows, and how fast the SSE reader
 * decodes a long reply delivered in small network chunks. Run: npx tsx scripts/bench-chat-client.ts
 */
import type { ThreadItem, ThreadStreamEvent } from "@/lib/chatkit/types";
import { EventStreamDecoder, applyEvent, threadViewFrom, type ThreadView } from "@/lib/chatkit-client";

const DELTAS = 2000;
const at = new Date(0).toISOString();

function threadWith(items: number): ThreadView {
  const data: ThreadItem[] = [];
  for (let i = 0; i < items; i++) {
    data.push(
      i % 2
        ? {
            id: `m${i}`,
            thread_id: "t",
            created_at: at,
            type: "assistant_message",
            content: [{ type: "output_text", text: "x".repeat(400), annotations: [] }],
          }
        : {
            id: `u${i}`,
            thread_id: "t",
            created_at: at,
            type: "user_message",
            content: [{ type: "input_text", text: "question" }],
            attachments: [],
            inference_options: {},
          },
    );
  }
  const view = threadViewFrom({
    id: "t",
    created_at: at,
    status: { type: "active" },
    metadata: {},
    items: { data, has_more: false },
  });
  return applyEvent(view, {
    type: "thread.item.added",
    item: { id: "reply", thread_id: "t", created_at: at, type: "assistant_message", content: [] },
  });
}

const delta = (i: number): ThreadStreamEvent => ({
  type: "thread.item.updated",
  item_id: "reply",
  update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: `word${i} ` },
});

function reducerFigures(items: number) {
  const events = Array.from({ length: DELTAS }, (_, i) => delta(i));
  let best = Infinity;
  const each: number[] = [];
  for (let round = 0; round < 6; round++) {
    let view = threadWith(items);
    const t0 = performance.now();
    for (const e of events) {
      const s = performance.now();
      view = applyEvent(view, e);
      if (round > 0) each.push(performance.now() - s); // round 0 warms the JIT up
    }
    if (round > 0) best = Math.min(best, performance.now() - t0);
    const reply = view.items.at(-1);
    if (reply?.type !== "assistant_message" || !reply.content[0]!.text.endsWith(`word${DELTAS - 1} `)) {
      throw new Error("the reply did not accumulate");
    }
  }
  each.sort((a, b) => a - b);
  const p99 = each[Math.floor(each.length * 0.99)]!;
  return {
    items,
    meanDeltaUs: ((best / DELTAS) * 1000).toFixed(2),
    p99DeltaUs: (p99 * 1000).toFixed(1),
    totalMs: best.toFixed(1),
  };
}

function readerFigures(chunkSize: number) {
  const text = Array.from({ length: DELTAS }, (_, i) => `data: ${JSON.stringify(delta(i))}\n\n`).join("");
  const bytes = new TextEncoder().encode(text);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const decoder = new EventStreamDecoder();
    let n = 0;
    for (let at = 0; at < bytes.length; at += chunkSize) n += decoder.push(bytes.subarray(at, at + chunkSize)).length;
    decoder.finish();
    if (n !== DELTAS) throw new Error(`decoded ${n} events`);
    best = Math.min(best, performance.now() - t0);
  }
  return {
    chunkBytes: chunkSize,
    bodyKB: (bytes.length / 1024).toFixed(0),
    totalMs: best.toFixed(1),
    MBps: (bytes.length / 1e6 / (best / 1000)).toFixed(1),
  };
}

console.log(
  `reducer: ${DELTAS} text deltas into one reply, in threads of 10/100/1000 items (best of 5 after a warm-up)`,
);
console.table([10, 100, 1000].map(reducerFigures));
console.log(`SSE reader: ${DELTAS} delta frames (best of 5)`);
console.table([16, 512, 16384].map(readerFigures));
