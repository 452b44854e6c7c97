/**
 * Fault injection. A fault is chosen per request, first match wins:
 *   1. a marker in the last user message of a Responses request: `[fault:http500]`,
 *      `[deltas:2000]` (reply of exactly N text deltas), `[slow:50]` (ms before each delta);
 *   2. request headers `x-fake-fault`, `x-fake-deltas`, `x-fake-delay-ms` (set them with the
 *      SDK's `defaultHeaders` or per-call `headers`);
 *   3. faults queued on the fake (`fake.failNext(...)` in-process, or
 *      `POST /__fake/faults {"fault":"http500","path":"/chatkit/sessions","times":1}`), which
 *      reach endpoints that carry no user text (sessions, vector stores, files).
 */
import { z } from "zod";

export const FAULTS = [
  "http", // `http<status>`, e.g. http500, http429 (with retry headers), http401, http400, http503
  "cut", // the connection is destroyed mid-stream (or before any answer for non-streaming calls)
  "malformed", // an SSE frame whose data is not JSON (non-streaming: a JSON content type with a broken body)
  "failed", // a `response.failed` terminal event (non-streaming: a response with status "failed")
  "error", // an `error` SSE event (non-streaming: HTTP 500)
  "incomplete", // a `response.incomplete` terminal event (reason max_output_tokens)
  "hang", // never answers; the client's timeout fires
  "stall", // sends response.created, then nothing more (a stream that stops mid-way)
  "failed-midway", // `response.failed` after half the reply's text (non-streaming: as `failed`)
  "error-midway", // an `error` event after half the reply's text (non-streaming: as `error`)
] as const;

export type Fault = { kind: "http"; status: number } | { kind: Exclude<(typeof FAULTS)[number], "http"> };

export function parseFault(name: string): Fault | undefined {
  const trimmed = name.trim().toLowerCase();
  const http = /^http(\d{3})$/.exec(trimmed);
  if (http) {
    const status = Number(http[1]);
    return status >= 400 && status <= 599 ? { kind: "http", status } : undefined;
  }
  const kind = FAULTS.find((f) => f === trimmed && f !== "http");
  return kind ? ({ kind } as Fault) : undefined;
}

export type Controls = { fault?: Fault; deltas?: number; delayMs?: number };

const MARKER = /\[(fault|deltas|slow):([^\]\s]+)\]/gi;

/** Reads `[fault:x]`, `[deltas:n]` and `[slow:ms]` markers; returns the controls and the text without them. */
export function readMarkers(text: string): { controls: Controls; text: string } {
  const controls: Controls = {};
  for (const match of text.matchAll(MARKER)) {
    const [, key, value = ""] = match;
    if (key?.toLowerCase() === "fault") controls.fault = parseFault(value) ?? controls.fault;
    if (key?.toLowerCase() === "deltas") controls.deltas = boundedInt(value, 1, 100_000) ?? controls.deltas;
    if (key?.toLowerCase() === "slow") controls.delayMs = boundedInt(value, 0, 60_000) ?? controls.delayMs;
  }
  return {
    controls,
    text: text
      .replace(MARKER, "")
      .replace(/\s{2,}/g, " ")
      .trim(),
  };
}

export function readHeaderControls(headers: Record<string, string | string[] | undefined>): Controls {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const fault = one("x-fake-fault");
  const deltas = one("x-fake-deltas");
  const delay = one("x-fake-delay-ms");
  return {
    fault: fault ? parseFault(fault) : undefined,
    deltas: deltas ? boundedInt(deltas, 1, 100_000) : undefined,
    delayMs: delay ? boundedInt(delay, 0, 60_000) : undefined,
  };
}

function boundedInt(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

export const queuedFaultSchema = z.object({
  fault: z.string().refine((v) => parseFault(v) !== undefined, "unknown fault"),
  /** Path below /v1 to match by prefix, e.g. "/chatkit/sessions"; omitted = every API path. */
  path: z.string().optional(),
  method: z.string().optional(),
  /** How many matching requests fail; the SDK's retries count as requests. */
  times: z.number().int().min(1).max(1000).default(1),
});
export type QueuedFaultInput = z.input<typeof queuedFaultSchema>;

type QueuedFault = { fault: Fault; path?: string; method?: string; remaining: number };

/** Faults armed ahead of time; each matching request consumes one. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(input: QueuedFaultInput): void {
    const parsed = queuedFaultSchema.parse(input);
    this.queue.push({
      fault: parseFault(parsed.fault) as Fault,
      path: parsed.path,
      method: parsed.method?.toUpperCase(),
      remaining: parsed.times,
    });
  }

  clear(): void {
    this.queue = [];
  }

  take(method: string, path: string): Fault | undefined {
    const entry = this.queue.find(
      (q) => (!q.path || path.startsWith(q.path)) && (!q.method || q.method === method.toUpperCase()),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue = this.queue.filter((q) => q !== entry);
    return entry.fault;
  }
}
