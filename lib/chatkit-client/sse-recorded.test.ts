/**
 * Property-style tests of the SSE reader on bytes RECORDED from our own server: however the
 * bytes are cut into chunks (every single split point, and seeded random multi-splits), and
 * whichever line endings, comments or multi-line data carry them, the same events come out;
 * a body that stops early is reported as cut unless it stopped exactly between frames.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ThreadStreamEvent, WidgetItem } from "@/lib/chatkit/types";
import { StreamCutError } from "./errors";
import { threadsAddClientToolOutput, threadsCreate, threadsCustomAction } from "./requests";
import { EventStreamDecoder, readEventStream } from "./sse";
import { emptyThreadView } from "./thread-state";
import { concatBytes, useLiveChat, type Recording } from "@/e2e/support/chatkit/live-chat";

const live = useLiveChat();
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A body that hands out `chunks` one per read, then closes (or errors with `error`). */
function bodyOf(chunks: Uint8Array[], error?: unknown): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (i < chunks.length) c.enqueue(chunks[i++]!);
        else if (error !== undefined) c.error(error);
        else c.close();
      },
    },
    { highWaterMark: 0 },
  );
}

async function readAll(chunks: Uint8Array[], error?: unknown) {
  const events: ThreadStreamEvent[] = [];
  try {
    for await (const e of readEventStream(bodyOf(chunks, error))) events.push(e);
    return { events, error: null };
  } catch (err) {
    return { events, error: err };
  }
}

/** The same, on the reader's synchronous core: for the properties that run thousands of times. */
function decodeAll(chunks: Uint8Array[]) {
  const decoder = new EventStreamDecoder();
  const events: ThreadStreamEvent[] = [];
  try {
    for (const c of chunks) events.push(...decoder.push(c));
    decoder.finish();
    return { events, error: null };
  } catch (err) {
    return { events, error: err };
  }
}

function splitAt(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points].sort((a, b) => a - b)) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** mulberry32: a small seeded generator, so the "random" splits are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The events as the server meant them: its exact `data: <json>\n\n` frames, parsed one by one. */
function framesOf(text: string): ThreadStreamEvent[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((f) => JSON.parse(f.slice("data: ".length)) as ThreadStreamEvent);
}

/** The same events framed as another SSE server might: comments, event/id/retry lines, pretty JSON over many data: lines. */
function reframed(events: ThreadStreamEvent[]): string {
  return events
    .map(
      (e, i) =>
        `: keep-alive ${i}\nevent: message\nid: ${i}\nretry: 1000\n` +
        JSON.stringify(e, null, 1)
          .split("\n")
          .map((line, j) => (j % 2 ? `data:${line}` : `data: ${line}`))
          .join("\n") +
        "\n\n",
    )
    .join("");
}

/** Byte offsets right after each frame's blank line. */
function frameEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = 1; i < bytes.length; i++) if (bytes[i] === 10 && bytes[i - 1] === 10) ends.push(i + 1);
  return ends;
}

type Sample = {
  name: string;
  bytes: Uint8Array;
  events: ThreadStreamEvent[];
  /** `events` as JSON: thousands of comparisons below are string compares, not deep walks. */
  json: string;
  serverChunks: Uint8Array[];
};
const samples: Sample[] = [];

function sampleOf(name: string, rec: Recording): Sample {
  expect(rec.contentType).toBe("text/event-stream");
  const bytes = concatBytes(rec.chunks);
  const events = framesOf(dec.decode(bytes));
  return { name, bytes, events, json: JSON.stringify(events), serverChunks: rec.chunks };
}

beforeAll(async () => {
  const at = () => live.recordings.length;
  // A fact with multibyte text (2-, 3- and 4-byte UTF-8), its card, and Save.
  let from = at();
  const fact = await live.run(emptyThreadView(), threadsCreate("My name is Zoë Ørsted — 東京 🦊"));
  samples.push(sampleOf("fact card", live.recordings[from]!));
  const card = fact.view.items.find((i): i is WidgetItem => i.type === "widget")!;
  const factId = /"fact_id":"(fact_[0-9a-f]+)"/.exec(JSON.stringify(card.widget))![1]!;
  from = at();
  await live.run(
    fact.view,
    threadsCustomAction(fact.view.thread!.id, card.id, { type: "fact.save", payload: { fact_id: factId } }),
  );
  samples.push(sampleOf("card save", live.recordings[from]!));
  // A client tool call and its output.
  from = at();
  const theme = await live.run(emptyThreadView(), threadsCreate("Switch to dark mode please"));
  samples.push(sampleOf("client tool call", live.recordings[from]!));
  from = at();
  await live.run(theme.view, threadsAddClientToolOutput(theme.view.thread!.id, { success: true }));
  samples.push(sampleOf("client tool output", live.recordings[from]!));
  // A long reply and a model failure.
  from = at();
  await live.run(emptyThreadView(), threadsCreate("[deltas:120] count"));
  samples.push(sampleOf("long reply", live.recordings[from]!));
  from = at();
  await live.run(emptyThreadView(), threadsCreate("oops [fault:malformed]"));
  samples.push(sampleOf("model failure", live.recordings[from]!));
});

describe("readEventStream on recorded server streams", () => {
  it("the recordings hold what the properties need: several server chunks, multibyte text, all event kinds", () => {
    expect(samples).toHaveLength(6);
    const types = new Set(samples.flatMap((s) => s.events.map((e) => e.type)));
    for (const t of ["thread.created", "thread.item.done", "thread.item.updated", "thread.item.replaced", "error"]) {
      expect(types).toContain(t);
    }
    const fact = samples[0]!;
    expect(fact.bytes.length).toBeGreaterThan(dec.decode(fact.bytes).length); // multibyte characters present
    expect(samples[4]!.serverChunks.length).toBeGreaterThan(1);
  });

  it("reads each recording, as the server chunked it, into exactly the server's frames", async () => {
    for (const s of samples)
      console.log(s.name, s.bytes.length, "bytes", s.serverChunks.length, "chunks", s.events.length, "events");
    for (const s of samples) expect((await readAll(s.serverChunks)).events, s.name).toEqual(s.events);
  });

  it("gives identical events for a split at every single byte boundary (on the reader's synchronous core)", async () => {
    // All recordings but the long reply (its 120 alike deltas add time, not cases; the random splits cover it).
    for (const s of samples.filter((x) => x.name !== "long reply")) {
      for (let p = 0; p <= s.bytes.length; p++) {
        const got = decodeAll(splitAt(s.bytes, [p]));
        if (got.error || JSON.stringify(got.events) !== s.json) {
          expect.fail(`${s.name}: split at byte ${p} gave ${String(got.error)} after ${got.events.length} events`);
        }
      }
    }
  });

  it("gives identical events for seeded random multi-splits, one byte per chunk included", async () => {
    const random = seeded(12);
    for (const s of samples) {
      const everyByte = Array.from({ length: s.bytes.length - 1 }, (_, i) => i + 1);
      expect((await readAll(splitAt(s.bytes, everyByte))).events).toEqual(s.events);
      for (let round = 0; round < 150; round++) {
        const cuts = 1 + Math.floor(random() * 40);
        const points = Array.from({ length: cuts }, () => Math.floor(random() * (s.bytes.length + 1)));
        const got = await readAll(splitAt(s.bytes, points));
        if (got.error || JSON.stringify(got.events) !== s.json) {
          expect.fail(`${s.name}: split at ${points.join(",")} gave ${String(got.error)}`);
        }
      }
    }
  });

  it("gives identical events with CRLF or CR line ends, split at every boundary (a CR/LF pair split included)", async () => {
    for (const s of samples.slice(0, 2)) {
      const text = dec.decode(s.bytes); // compact JSON: every LF in it is a line end
      for (const eol of ["\r\n", "\r"]) {
        const bytes = enc.encode(text.replaceAll("\n", eol));
        for (let p = 0; p <= bytes.length; p++) {
          const got = decodeAll(splitAt(bytes, [p]));
          if (got.error || JSON.stringify(got.events) !== s.json) {
            expect.fail(`${s.name} with ${JSON.stringify(eol)}: split at ${p} gave ${String(got.error)}`);
          }
        }
      }
    }
  });

  it("gives identical events when frames carry comments, event/id/retry lines and multi-line data, with any line ends", async () => {
    const random = seeded(7);
    for (const s of samples) {
      for (const eol of ["\n", "\r\n", "\r"]) {
        const bytes = enc.encode(reframed(s.events).replaceAll("\n", eol));
        expect((await readAll([bytes])).events).toEqual(s.events);
        for (let round = 0; round < 20; round++) {
          const points = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
            Math.floor(random() * (bytes.length + 1)),
          );
          const got = await readAll(splitAt(bytes, points));
          if (got.error || JSON.stringify(got.events) !== s.json)
            expect.fail(`${s.name}: split at ${points.join(",")}`);
        }
        // Every single split of a small one: a CR and its LF in different chunks inside a frame.
        if (s.name !== "card save") continue;
        for (let p = 0; p <= bytes.length; p++) {
          const got = decodeAll(splitAt(bytes, [p]));
          if (got.error || JSON.stringify(got.events) !== s.json) {
            expect.fail(`${s.name} with ${JSON.stringify(eol)}: split at ${p} gave ${String(got.error)}`);
          }
        }
      }
    }
  });
});

describe("cut connections in recorded server streams", () => {
  it("a body that ends at any byte short of the end is cut, unless it ends exactly between frames", async () => {
    for (const s of samples.slice(0, 3)) {
      const ends = frameEnds(s.bytes);
      for (let p = 0; p < s.bytes.length; p++) {
        const got = decodeAll([s.bytes.subarray(0, p)]);
        const whole = ends.filter((e) => e <= p).length;
        // Every frame completed before the cut still arrives, in order.
        if (JSON.stringify(got.events) !== JSON.stringify(s.events.slice(0, whole))) {
          expect.fail(`${s.name} cut at ${p}: expected the first ${whole} events, got ${got.events.length}`);
        }
        if (ends.includes(p)) expect(got.error).toBeNull();
        else expect(got.error, `${s.name} cut at ${p}`).toBeInstanceOf(StreamCutError);
      }
    }
  });

  it("a body that errors after any server chunk is cut, after delivering every frame completed before", async () => {
    for (const s of samples) {
      for (let n = 0; n < s.serverChunks.length; n++) {
        const sent = s.serverChunks.slice(0, n);
        const got = await readAll(sent, new TypeError("terminated"));
        expect(got.error).toBeInstanceOf(StreamCutError);
        expect((got.error as StreamCutError).reason).toBe("body_error");
        expect((got.error as StreamCutError).cause).toBeInstanceOf(TypeError);
        const whole = frameEnds(concatBytes(sent)).length;
        expect(got.events).toEqual(s.events.slice(0, whole));
      }
    }
  });
});
