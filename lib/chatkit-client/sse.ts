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
 * own end at this level; proxies and browsers report such drops as read errors in practice,
 * because the chunked body's terminator is missing.
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
  const decoder = new TextDecoder("utf-8");
  const parser = new SseFrameParser();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let events = 0;
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
      for (const data of parser.push(decoder.decode(r.value, { stream: true }))) {
        events++;
        yield parseEventData(data);
        if (signal?.aborted) throw abortReason(signal);
      }
    }
    // A dangling partial UTF-8 sequence is unfinished text, so it counts as a cut too.
    const tail = decoder.decode();
    if (tail !== "") parser.push(tail);
    finished = true;
    if (!parser.atFrameBoundary) throw new StreamCutError("mid_frame");
    if (events === 0) throw new StreamCutError("empty");
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!finished) void reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
