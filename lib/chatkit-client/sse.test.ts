import { describe, expect, it } from "vitest";
import { ChatKitProtocolError, StreamCutError } from "./errors";
import { readEventStream } from "./sse";

const enc = new TextEncoder();

function bodyOf(chunks: (string | Uint8Array)[], opts: { error?: unknown } = {}): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) {
        const x = chunks[i++]!;
        c.enqueue(typeof x === "string" ? enc.encode(x) : x);
      } else if (opts.error !== undefined) c.error(opts.error);
      else c.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
  const out: unknown[] = [];
  for await (const e of readEventStream(body, { signal })) out.push(e);
  return out;
}

describe("readEventStream", () => {
  it("reads whole frames as events in order", async () => {
    const events = await collect(bodyOf(['data: {"type":"a"}\n\ndata: {"type":"b"}\n\n']));
    expect(events).toEqual([{ type: "a" }, { type: "b" }]);
  });

  it("joins multi-line data, skips comments and event/id lines, and accepts CR, LF and CRLF", async () => {
    const text = ': hello\r\nevent: x\rid: 7\ndata: {"type":\r\ndata:"m","v":"é"}\r\n\r\n';
    expect(await collect(bodyOf([text]))).toEqual([{ type: "m", v: "é" }]);
  });

  it("throws StreamCutError when the body ends mid-frame", async () => {
    await expect(collect(bodyOf(['data: {"type":"a"}\n\ndata: {"ty']))).rejects.toBeInstanceOf(StreamCutError);
  });

  it("throws StreamCutError when reading the body fails", async () => {
    await expect(collect(bodyOf(['data: {"type":"a"}\n\n'], { error: new TypeError("terminated") }))).rejects.toThrow(
      StreamCutError,
    );
  });
});

describe("readEventStream and its body", () => {
  function watchedBody(chunks: string[]) {
    const state = { cancelled: false as boolean, reason: undefined as unknown };
    let i = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (i < chunks.length) c.enqueue(enc.encode(chunks[i++]!));
          // then stays open, like a reply still being written
        },
        cancel(reason) {
          state.cancelled = true;
          state.reason = reason;
        },
      },
      { highWaterMark: 0 },
    );
    return { body, state };
  }

  it("leaving the loop early cancels the body, so the server learns the client went away", async () => {
    const { body, state } = watchedBody(['data: {"type":"a"}\n\ndata: {"type":"b"}\n\n']);
    for await (const e of readEventStream(body)) {
      expect(e).toEqual({ type: "a" });
      break;
    }
    expect(state.cancelled).toBe(true);
  });

  it("an abort while waiting for bytes cancels the body and throws the signal's reason", async () => {
    const { body, state } = watchedBody(['data: {"type":"a"}\n\n']);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const e of readEventStream(body, { signal: controller.signal })) {
        seen.push(e);
        setTimeout(() => controller.abort(new DOMException("Stopped", "AbortError")), 0);
      }
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(err).toMatchObject({ name: "AbortError", message: "Stopped" });
    expect(state.cancelled).toBe(true);
  });

  it("a frame that is not JSON, or not an event, is a protocol error, not a cut", async () => {
    await expect(collect(bodyOf(["data: {oops\n\n"]))).rejects.toBeInstanceOf(ChatKitProtocolError);
    await expect(collect(bodyOf(['data: {"no":"type"}\n\n']))).rejects.toBeInstanceOf(ChatKitProtocolError);
    await expect(collect(bodyOf(["data: [1]\n\n"]))).rejects.toBeInstanceOf(ChatKitProtocolError);
  });

  it("a character split across chunks is decoded whole; a body ending inside one is cut", async () => {
    const bytes = enc.encode('data: {"type":"a","v":"🦊"}\n\n');
    const fox = bytes.indexOf(0xf0);
    const parts = [bytes.subarray(0, fox + 1), bytes.subarray(fox + 1, fox + 3), bytes.subarray(fox + 3)];
    expect(await collect(bodyOf(parts))).toEqual([{ type: "a", v: "🦊" }]);
    const cut = enc.encode('data: {"type":"a"}\n\n').length;
    const dangling = new Uint8Array([...enc.encode('data: {"type":"a"}\n\n'), 0xf0, 0x9f]);
    expect(dangling.length).toBe(cut + 2);
    await expect(collect(bodyOf([dangling]))).rejects.toMatchObject({ reason: "mid_frame" });
  });

  it("an empty body is cut: our server always sends at least one event", async () => {
    await expect(collect(bodyOf([]))).rejects.toMatchObject({ name: "StreamCutError", reason: "empty" });
    await expect(collect(bodyOf([": only a comment\n\n"]))).rejects.toMatchObject({ reason: "empty" });
  });
});
