/**
 * Local fake of the OpenAI API (Responses, ChatKit sessions, files, vector stores) that the real
 * `openai` SDK runs against unchanged. See README.md beside this file for the script, the fault
 * modes and the control endpoints.
 *
 *   in-process:  const fake = await start(0, {}); new OpenAI({ baseURL: fake.baseURL, apiKey: "sk-test" })
 *   standalone:  tsx e2e/fakes/openai/server.ts --port 3221
 *                OPENAI_BASE_URL=http://127.0.0.1:3221/v1 OPENAI_API_KEY=sk-fake npm run dev
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import {
  FaultQueue,
  readHeaderControls,
  type Controls,
  type Fault,
  type QueuedFaultInput,
  queuedFaultSchema,
} from "./faults";
import { Resources, FakeApiError } from "./resources";
import { completed, failed, skeleton, streamEvents, type ResponseObject, type StreamEvent } from "./responses";
import { phrasingPlanner } from "./phrasing";
import { inputItems, plan } from "./script";
import { isRecord, readBody, sendError, sendJson, sleep, sseFrame, startSse } from "./wire";

export type RecordedRequest = {
  method: string;
  /** Path below /v1, e.g. "/responses". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, a summary of a multipart upload, or null. */
  body: unknown;
  at: string;
  /** performance.now() when the request arrived (benchmarks). */
  receivedAt?: number;
  /** performance.now() just after the first text delta of a streamed answer was written (benchmarks). */
  firstDeltaAt?: number;
};

export type FakeOpenAI = {
  /** Origin of the fake, e.g. http://127.0.0.1:3221 (API paths work with and without /v1). */
  url: string;
  /** What to give the SDK as `baseURL` (`${url}/v1`). */
  baseURL: string;
  port: number;
  close(): Promise<void>;
  /** Recorded API requests, oldest first; `path` filters by prefix ("/responses"). */
  requests(path?: string): RecordedRequest[];
  clearRequests(): void;
  /** Arms a fault for the next matching request(s); see faults.ts. */
  failNext(input: QueuedFaultInput): void;
  clearFaults(): void;
  resources: Resources;
  /** Forgets requests, faults, sessions, files, vector stores and stored responses. */
  reset(): void;
};

type StoredResponse = { response: ResponseObject; items: Record<string, unknown>[] };

type Ctx = {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  body: unknown;
  controls: Controls;
  entry: RecordedRequest;
};

const RATE_LIMIT_HEADERS = {
  "retry-after": "1",
  "x-ratelimit-limit-requests": "60",
  "x-ratelimit-remaining-requests": "0",
  "x-ratelimit-reset-requests": "1s",
  "x-ratelimit-limit-tokens": "150000",
  "x-ratelimit-remaining-tokens": "0",
  "x-ratelimit-reset-tokens": "1s",
};

function sendHttpFault(res: ServerResponse, status: number) {
  if (status === 429) {
    sendError(res, 429, "Rate limit reached for requests. Please try again in 1s.", {
      type: "requests",
      code: "rate_limit_exceeded",
      headers: RATE_LIMIT_HEADERS,
    });
  } else if (status === 401) {
    sendError(res, 401, "Incorrect API key provided.", { code: "invalid_api_key" });
  } else if (status >= 500) {
    sendError(res, status, "The server had an error while processing your request.");
  } else {
    sendError(res, status, `Injected client error ${status}.`, {
      code: status === 404 ? "not_found" : "invalid_value",
    });
  }
}

/** Faults that every endpoint honours before doing any work; returns true when it answered. */
function applyTransportFault(ctx: Ctx, fault: Fault | undefined): boolean {
  if (!fault) return false;
  if (fault.kind === "http") sendHttpFault(ctx.res, fault.status);
  else if (fault.kind === "hang")
    return true; // never answer; close() or the client's timeout ends it
  else if (fault.kind === "cut") ctx.req.socket.destroy();
  else return false;
  return true;
}

async function parseBody(req: IncomingMessage, raw: Buffer): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (raw.byteLength === 0) return null;
  if (type.startsWith("multipart/form-data")) {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const form = await new Request("http://fake/upload", {
      method: "POST",
      headers,
      body: new Uint8Array(raw),
    }).formData();
    const fields: Record<string, string> = {};
    let file: { filename: string; bytes: number; content: Buffer } | undefined;
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields[key] = value;
      else file = { filename: value.name, bytes: value.size, content: Buffer.from(await value.arrayBuffer()) };
    }
    return { multipart: true, fields, file };
  }
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new FakeApiError(400, "We could not parse the JSON body of your request.", null, "invalid_json");
  }
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

async function writeAll(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done).off("close", done);
        resolve();
      };
      res.on("drain", done).on("close", done);
    });
  }
  return !res.destroyed;
}

/** `options.phrasing`: a seed; the model then words its answers its own way (phrasing.ts), not by the script. */
export async function start(port: number, options: Record<string, string> = {}): Promise<FakeOpenAI> {
  const planner = options.phrasing ? phrasingPlanner(options.phrasing) : plan;
  const resources = new Resources();
  const faults = new FaultQueue();
  const recorded: RecordedRequest[] = [];
  const stored = new Map<string, StoredResponse>();
  const sockets = new Set<Socket>();

  async function responsesCreate(ctx: Ctx) {
    if (!isRecord(ctx.body)) throw new FakeApiError(400, "Request body must be a JSON object.");
    const body = ctx.body;
    if (typeof body.model !== "string" || !body.model)
      throw new FakeApiError(400, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
    if (body.input === undefined)
      throw new FakeApiError(400, "Missing required parameter: 'input'.", "input", "missing_required_parameter");
    let items = inputItems(body.input);
    if (typeof body.previous_response_id === "string") {
      const previous = stored.get(body.previous_response_id);
      if (!previous)
        throw new FakeApiError(
          400,
          `Previous response with id '${body.previous_response_id}' not found.`,
          "previous_response_id",
          "previous_response_not_found",
        );
      items = [...previous.items, ...(previous.response.output as Record<string, unknown>[]), ...items];
    }
    const effective = { ...body, input: items };
    const script = planner(effective, (ids, query) => resources.search(ids, query));
    const controls: Controls = { ...ctx.controls, ...defined(script.controls) };
    const fault = controls.fault;
    // A streamed answer is cut halfway through its events (below), not before it starts.
    const cutMidStream = body.stream === true && fault?.kind === "cut";
    if (!cutMidStream && applyTransportFault(ctx, fault)) return;
    const base = skeleton(body);
    const remember = (response: ResponseObject) => {
      if (body.store !== false) stored.set(response.id, { response, items });
    };

    if (body.stream !== true) {
      if (fault?.kind === "malformed") {
        ctx.res.writeHead(200, { "content-type": "application/json" });
        ctx.res.end('{"id":"resp_broken","object":"resp');
      } else if (fault?.kind === "error" || fault?.kind === "error-midway") {
        sendHttpFault(ctx.res, 500);
      } else if (fault?.kind === "failed" || fault?.kind === "failed-midway") {
        sendJson(ctx.res, 200, failed(base));
      } else if (fault?.kind === "stall") {
        return; // like hang
      } else {
        const response = completed(base, effective, script);
        if (fault?.kind === "incomplete")
          Object.assign(response, { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
        remember(response);
        sendJson(ctx.res, 200, response);
      }
      return;
    }

    startSse(ctx.res);
    let sequence = 0;
    const emit = (event: StreamEvent) => writeAll(ctx.res, sseFrame({ ...event, sequence_number: sequence++ }));
    const all = [...streamEvents(base, effective, script)];
    const terminalAt = all.length - 1;
    const midway = midwayIndex(all);
    for (const [index, { event, delta }] of all.entries()) {
      const isTerminal = index === terminalAt;
      if (fault?.kind === "cut" && index === Math.max(3, Math.floor(all.length / 2))) {
        ctx.res.socket?.destroy();
        return;
      }
      if (fault?.kind === "stall" && index === 1) return;
      if (fault && ["malformed", "failed", "error"].includes(fault.kind) && index === 2) {
        if (fault.kind === "malformed")
          await writeAll(
            ctx.res,
            'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":\n\n',
          );
        if (fault.kind === "failed") await emit({ type: "response.failed", response: failed(base) });
        if (fault.kind === "error") await emit(serverError());
        ctx.res.end();
        return;
      }
      if (index === midway && (fault?.kind === "failed-midway" || fault?.kind === "error-midway")) {
        // Part of the reply is out; then the model fails, as a real stream can after any event.
        await emit(
          fault.kind === "failed-midway" ? { type: "response.failed", response: failed(base) } : serverError(),
        );
        ctx.res.end();
        return;
      }
      if (isTerminal && fault?.kind === "incomplete") {
        const response = {
          ...(event.response as ResponseObject),
          status: "incomplete",
          incomplete_details: { reason: "max_output_tokens" },
        };
        await emit({ type: "response.incomplete", response });
        break;
      }
      if (delta && controls.delayMs) await sleep(controls.delayMs);
      if (!(await emit(event))) return; // the client went away
      if (delta && ctx.entry.firstDeltaAt === undefined) ctx.entry.firstDeltaAt = performance.now();
      if (isTerminal) remember(event.response as ResponseObject);
    }
    ctx.res.end();
  }

  async function route(ctx: Ctx) {
    const { method, path, body, res } = ctx;
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/responses") return responsesCreate(ctx);
    if (applyTransportFault(ctx, ctx.controls.fault)) return;
    if (method === "GET" && (m = /^\/responses\/([^/]+)$/.exec(path))) {
      const found = stored.get(m[1]!);
      if (!found) throw new FakeApiError(404, `Response with id '${m[1]}' not found.`, null, "not_found");
      return sendJson(res, 200, found.response);
    }
    if (path.startsWith("/chatkit/")) {
      const beta = ctx.req.headers["openai-beta"];
      if (typeof beta !== "string" || !beta.includes("chatkit_beta=v1")) {
        throw new FakeApiError(
          400,
          "You must provide the 'OpenAI-Beta: chatkit_beta=v1' header to access the ChatKit API.",
          null,
          "missing_beta_header",
        );
      }
      if (method === "POST" && path === "/chatkit/sessions") return sendJson(res, 200, resources.createSession(body));
      if (method === "POST" && (m = /^\/chatkit\/sessions\/([^/]+)\/cancel$/.exec(path)))
        return sendJson(res, 200, resources.cancelSession(decodeURIComponent(m[1]!)));
    }
    if (method === "POST" && path === "/files") {
      const upload = body as {
        multipart?: boolean;
        fields?: Record<string, string>;
        file?: { filename: string; content: Buffer };
      } | null;
      if (!upload?.multipart || !upload.file)
        throw new FakeApiError(400, "Missing required parameter: 'file'.", "file");
      const seconds = Number(upload.fields?.["expires_after[seconds]"]);
      return sendJson(
        res,
        200,
        resources.createFile(
          upload.file.filename,
          upload.fields?.purpose ?? "",
          upload.file.content,
          Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
        ),
      );
    }
    if (method === "DELETE" && (m = /^\/files\/([^/]+)$/.exec(path)))
      return sendJson(res, 200, resources.deleteFile(m[1]!));
    if (method === "POST" && path === "/vector_stores") return sendJson(res, 200, resources.createVectorStore(body));
    if ((m = /^\/vector_stores\/([^/]+)$/.exec(path))) {
      if (method === "GET") return sendJson(res, 200, resources.getVectorStore(m[1]!));
      if (method === "DELETE") return sendJson(res, 200, resources.deleteVectorStore(m[1]!));
    }
    if ((m = /^\/vector_stores\/([^/]+)\/files$/.exec(path))) {
      if (method === "POST")
        return sendJson(res, 200, resources.attachFile(m[1]!, body), { "openai-poll-after-ms": "10" });
      if (method === "GET") return sendJson(res, 200, resources.listStoreFiles(m[1]!, ctx.entry.query));
    }
    if ((m = /^\/vector_stores\/([^/]+)\/files\/([^/]+)$/.exec(path))) {
      if (method === "GET")
        return sendJson(res, 200, resources.getStoreFile(m[1]!, m[2]!), { "openai-poll-after-ms": "10" });
      if (method === "DELETE") return sendJson(res, 200, resources.detachFile(m[1]!, m[2]!));
    }
    if (method === "POST" && (m = /^\/vector_stores\/([^/]+)\/search$/.exec(path)))
      return sendJson(res, 200, resources.searchPage(m[1]!, body));
    throw new FakeApiError(404, `Invalid URL (${method} /v1${path})`, null, "unknown_url");
  }

  /**
   * Vector-store controls: `POST /__fake/vector_stores/ingestion` `{paused?, delay_ms?, fail_next?:
   * {code?, message?, times?}}`, `POST /__fake/vector_stores/{id}/expire`, and
   * `POST /__fake/vector_stores/clock` `{advance_seconds}`.
   */
  function vectorStoreControl(res: ServerResponse, path: string, raw: Buffer) {
    let input: unknown;
    try {
      input = JSON.parse(raw.toString("utf8") || "{}");
    } catch {
      return sendError(res, 400, "Body must be JSON.");
    }
    const expire = /^\/vector_stores\/([^/]+)\/expire$/.exec(path);
    if (expire && expire[1] !== "ingestion" && expire[1] !== "clock") {
      try {
        return sendJson(res, 200, resources.expireVectorStore(expire[1]!));
      } catch (err) {
        if (err instanceof FakeApiError) return sendError(res, err.status, err.message);
        throw err;
      }
    }
    if (path === "/vector_stores/clock") {
      const parsed = z.object({ advance_seconds: z.number().int().min(0) }).safeParse(input);
      if (!parsed.success) return sendError(res, 400, parsed.error.issues[0]?.message ?? "invalid clock change");
      resources.advanceClock(parsed.data.advance_seconds);
      return sendJson(res, 200, { now: resources.now() });
    }
    if (path === "/vector_stores/ingestion") {
      const parsed = ingestionControlSchema.safeParse(input);
      if (!parsed.success) return sendError(res, 400, parsed.error.issues[0]?.message ?? "invalid ingestion control");
      const { paused, delay_ms: delayMs, fail_next: failNext } = parsed.data;
      if (delayMs !== undefined) resources.ingestion.delayMs = delayMs;
      if (failNext) resources.failNextIngestion(failNext);
      if (paused === true) resources.pauseIngestion();
      if (paused === false) resources.resumeIngestion();
      return sendJson(res, 200, { ingestion: resources.ingestion });
    }
    return sendError(res, 404, `Unknown control endpoint POST /__fake${path}`);
  }

  /** Test and demo controls under /__fake (no auth). */
  async function control(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) {
    const path = url.pathname.replace(/^\/__fake/, "");
    if (req.method === "GET" && path === "/requests")
      return sendJson(res, 200, { data: fake.requests(url.searchParams.get("path") ?? undefined) });
    if (req.method === "DELETE" && path === "/requests") {
      fake.clearRequests();
      return sendJson(res, 200, { cleared: true });
    }
    if (req.method === "POST" && path === "/faults") {
      let input: unknown;
      try {
        input = JSON.parse(raw.toString("utf8") || "{}");
      } catch {
        return sendError(res, 400, "Body must be JSON.");
      }
      const parsed = queuedFaultSchema.safeParse(input);
      if (!parsed.success) return sendError(res, 400, parsed.error.issues[0]?.message ?? "invalid fault");
      faults.add(parsed.data);
      return sendJson(res, 200, { armed: parsed.data });
    }
    if (req.method === "DELETE" && path === "/faults") {
      fake.clearFaults();
      return sendJson(res, 200, { cleared: true });
    }
    if (req.method === "POST" && path === "/reset") {
      fake.reset();
      return sendJson(res, 200, { reset: true });
    }
    if (req.method === "GET" && path === "/state") {
      return sendJson(res, 200, {
        sessions: [...resources.sessions.values()],
        files: [...resources.files.values()].map(({ content: _c, ...f }) => f),
        vector_stores: [...resources.vectorStores.values()].map((store) => ({
          ...resources.getVectorStore(store.id),
          files: [...store.files.values()],
        })),
      });
    }
    if (req.method === "POST" && path.startsWith("/vector_stores")) return vectorStoreControl(res, path, raw);
    return sendError(res, 404, `Unknown control endpoint ${req.method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = await readBody(req);
      if (url.pathname.startsWith("/__fake/")) return control(req, res, url, raw);
      const path = url.pathname.replace(/^\/v1(?=\/)/, "");
      const method = req.method ?? "GET";
      const entry: RecordedRequest = {
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        headers: headerRecord(req),
        body: null,
        at: new Date().toISOString(),
        receivedAt: performance.now(),
      };
      recorded.push(entry);
      const body = await parseBody(req, raw);
      entry.body = isRecord(body) && body.multipart ? summarizeUpload(body) : body;
      if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? "")) {
        return sendError(res, 401, "You didn't provide an API key.", { code: "missing_api_key" });
      }
      const controls = readHeaderControls(req.headers);
      if (!controls.fault) controls.fault = faults.take(method, path);
      await route({ req, res, method, path, body, controls, entry });
    })().catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof FakeApiError)
        return sendError(res, err.status, err.message, { param: err.param, code: err.code });
      console.error("[fake-openai] internal error", err);
      sendError(res, 500, "Fake server error.");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${actualPort}`;

  const fake: FakeOpenAI = {
    url,
    baseURL: `${url}/v1`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy(); // hung requests included
        server.close(() => resolve());
      }),
    requests: (path) => recorded.filter((r) => !path || r.path.startsWith(path)).map((r) => structuredClone(r)),
    clearRequests: () => void recorded.splice(0),
    failNext: (input) => faults.add(input),
    clearFaults: () => faults.clear(),
    resources,
    reset: () => {
      recorded.splice(0);
      faults.clear();
      resources.reset();
      stored.clear();
    },
  };
  return fake;
}

/** The `error` event of a stream that broke on the server's side. */
const serverError = (): StreamEvent => ({
  type: "error",
  code: "server_error",
  message: "The server had an error while processing your request.",
  param: null,
});

/** Where a midway fault strikes: after half the text deltas (half the events when there are none). */
function midwayIndex(events: { delta?: boolean }[]): number {
  const deltas = events.flatMap((e, i) => (e.delta ? [i] : []));
  if (deltas.length === 0) return Math.max(2, Math.floor(events.length / 2));
  return deltas[Math.ceil(deltas.length / 2)] ?? deltas.at(-1)! + 1;
}

const ingestionControlSchema = z.object({
  paused: z.boolean().optional(),
  delay_ms: z.number().int().min(0).max(60_000).optional(),
  fail_next: z
    .object({
      code: z.enum(["server_error", "unsupported_file", "invalid_file"]).optional(),
      message: z.string().optional(),
      times: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
});

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function summarizeUpload(body: Record<string, unknown>) {
  const file = body.file as { filename: string; bytes: number; content: Buffer } | undefined;
  return {
    fields: body.fields,
    file: file
      ? { filename: file.filename, bytes: file.bytes, text: file.content.toString("utf8").slice(0, 4096) }
      : null,
  };
}

// Standalone: tsx e2e/fakes/openai/server.ts --port 3221 [--phrasing <seed>]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf("--port");
  const port = flag >= 0 ? Number(process.argv[flag + 1]) : 3221;
  const phrasing = process.argv.indexOf("--phrasing");
  const seed = phrasing >= 0 ? process.argv[phrasing + 1] : undefined;
  const fake = await start(Number.isInteger(port) ? port : 3221, seed ? { phrasing: seed } : {});
  console.log(`[fake-openai] listening on ${fake.url} (SDK baseURL ${fake.baseURL})`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
