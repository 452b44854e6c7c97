/**
 * Reads a ChatKit SSE body into stream events.
 *
 * Parsing follows the HTML "server-sent events" rules, so it is right whatever the network
 * does to chunk boundaries: bytes are decoded as streaming UTF-8 (a multibyte character may
 * be split across chunks), lines end at CRLF, LF or CR (a CR at the end of one chunk and an
 * LF at the start of the next are one line end), `:` lines are comments, `data:` lines of one
 * frame are joined with "\n", and a blank line ends the frame. `event:`, `id:` and `retry:`
 * lines are read and dropped: every ChatKit event names itself in its JSON `type`, and a
 * POST stream is never resumed, so there is nothing to resume from an id.
 *
 * Clean end versus cut connection. Our server (lib/chatkit/pipeline.ts) writes only whole
 * frames, `data: <json>\n\n`, sends no end sentinel, and ends a stream by closing the body
 * once the pipeline is over — also after an `error` event. Every streaming answer carries at
 * least one event (`thread.created`, the user message, `stream_options` or a lone `error`).
 * So a stream ENDED CLEANLY when, and only when, the body closed without a read error, the
 * last byte received completed a frame (nothing is left of an unfinished line or frame), and
 * at least one event was read. Anything else throws StreamCutError: a read error
 * (`body_error`), a close in the middle of a frame (`mid_frame`), or a close before any
 * event (`empty`). A close exactly between two frames cannot be told apart from the server's
 * own end at this level; but the HTTP body then lacks its own end (the last chunk of a
 * chunked body, or HTTP/2's end of stream), so fetch reports the drop as a read error
 * (transport.test.ts shows it for a socket closed right after a whole frame).
 */
import type { ThreadStreamEvent } from "../chatkit/types";
import { ChatKitProtocolError, StreamCutError } from "./errors";

export type ReadEventStreamOptions = {
  /** Stops reading: the body is cancelled and the generator throws the signal's reason. */
  signal?: AbortSignal;
};

/** The SSE line/frame state machine, fed decoded text; yields the `data` of each finished frame. */
export class SseFrameParser {
  private buffer = "";
  /** Where scanning for a line end resumes, so a long line split into many chunks stays linear. */
  private scanFrom = 0;
  /** The previous text ended in CR: an LF at the start of the next text belongs to it. */
  private afterCr = false;
  private data: string[] = [];

  /** Feeds text; returns the data payloads of the frames it completed. */
  push(text: string): string[] {
    const out: string[] = [];
    if (text === "") return out; // e.g. a chunk holding only part of a UTF-8 character
    if (this.afterCr && text.startsWith("\n")) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    const buf = this.buffer;
    let lineStart = 0;
    let i = this.scanFrom;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) {
        i++;
        continue;
      }
      this.line(buf.slice(lineStart, i), out);
      if (c === 13) {
        if (i + 1 === buf.length) this.afterCr = true;
        else if (buf.charCodeAt(i + 1) === 10) i++;
      }
      i++;
      lineStart = i;
    }
    this.buffer = lineStart === 0 ? buf : buf.slice(lineStart);
    this.scanFrom = this.buffer.length;
    return out;
  }

  /** True when nothing of an unfinished line or frame is held. */
  get atFrameBoundary(): boolean {
    return this.buffer === "" && this.data.length === 0;
  }

  private line(line: string, out: string[]): void {
    if (line === "") {
      if (this.data.length) out.push(this.data.join("\n"));
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58 /* ":" */) return; // comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== "data") return; // event/id/retry/unknown fields: nothing for us to use
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* " " */) value = value.slice(1);
    this.data.push(value);
  }
}

/** Parses one frame's data as an event: an object with a string `type` (no schema check here). */
export function parseEventData(data: string): ThreadStreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    throw new ChatKitProtocolError(`A stream frame is not JSON: ${data.slice(0, 80)}`, { cause });
  }
  if (typeof value !== "object" || value === null || typeof (value as { type?: unknown }).type !== "string") {
    throw new ChatKitProtocolError(`A stream frame is not an event: ${data.slice(0, 80)}`);
  }
  return value as ThreadStreamEvent;
}

/**
 * The synchronous core of readEventStream: bytes in, events out, and at the end a verdict on
 * whether the stream ended cleanly. Kept apart from the stream plumbing so the chunking
 * properties can be checked on the very code that runs, thousands of times, quickly.
 */
export class EventStreamDecoder {
  private readonly decoder = new TextDecoder("utf-8");
  private readonly parser = new SseFrameParser();
  private count = 0;

  /** Events completed by this chunk, in order. */
  push(chunk: Uint8Array): ThreadStreamEvent[] {
    const frames = this.parser.push(this.decoder.decode(chunk, { stream: true }));
    this.count += frames.length;
    return frames.map(parseEventData);
  }

  /** The body closed: throws StreamCutError unless this was a clean end (see above). */
  finish(): void {
    // A dangling partial UTF-8 sequence decodes to U+FFFD: unfinished text, so a cut as well.
    const tail = this.decoder.decode();
    if (tail !== "") this.parser.push(tail);
    if (!this.parser.atFrameBoundary) throw new StreamCutError("mid_frame");
    if (this.count === 0) throw new StreamCutError("empty");
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The stream was aborted.", "AbortError");
}

/**
 * Yields every event of an SSE body in order; returns on a clean end, throws StreamCutError
 * on a cut one (see above), ChatKitProtocolError on a frame that is not an event, and the
 * signal's reason when aborted. Leaving the loop early (break/return) cancels the body.
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  opts: ReadEventStreamOptions = {},
): AsyncGenerator<ThreadStreamEvent, void, undefined> {
  const { signal } = opts;
  if (signal?.aborted) throw abortReason(signal);
  const reader = body.getReader();
  const decoder = new EventStreamDecoder();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (cause) {
        if (signal?.aborted) throw abortReason(signal);
        throw new StreamCutError("body_error", { cause });
      }
      if (signal?.aborted) throw abortReason(signal);
      if (r.done) break;
      for (const event of decoder.push(r.value)) {
        yield event;
        if (signal?.aborted) throw abortReason(signal);
      }
    }
    finished = true;
    decoder.finish();
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!finished) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
