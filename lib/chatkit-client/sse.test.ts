import { describe, expect, it } from "vitest";
import { StreamCutError } from "./errors";
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
