/**
 * The transport over a real socket (node:http and the runtime's own fetch): what reaches the
 * server, and how answers that are not our server's normal ones come back — a proxy's HTML
 * error page, a dropped connection, a body that stops mid-frame, a refused connection, Stop.
 * (Answers of our real server are covered in recorded.test.ts.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreadStreamEvent } from "@/lib/chatkit/types";
import { ChatKitHttpError, ChatKitProtocolError, StreamCutError, isAbortError } from "./errors";
import { threadsCreate, threadsList } from "./requests";
import { createChatKitClient } from "./transport";

type Seen = { headers: IncomingMessage["headers"]; body: string };
const seen: Seen[] = [];
let server: Server;
let base = "";

const frame = (e: object) => `data: ${JSON.stringify(e)}\n\n`;
const options = frame({ type: "stream_options", stream_options: { allow_cancel: true } });

/** Each path answers one way; the request body is recorded. */
const answers: Record<string, (res: ServerResponse) => void> = {
  "/json": (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"data":[],"has_more":false}'),
  "/sse": (res) => res.writeHead(200, { "content-type": "text/event-stream" }).end(options),
  "/sse-drop": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(options);
    res.write('data: {"type":"thread.item.upd');
    setTimeout(() => res.socket?.destroy(), 20);
  },
  "/sse-drop-between": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(options);
    setTimeout(() => res.socket?.destroy(), 20);
  },
  "/sse-half": (res) => res.writeHead(200, { "content-type": "text/event-stream" }).end(options + "data: {"),
  "/sse-empty": (res) => res.writeHead(200, { "content-type": "text/event-stream" }).end(),
  "/sse-slow": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(options);
    // Never ends on its own: only Stop ends this one.
  },
  "/html-502": (res) => res.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>"),
  "/html-200": (res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>sign in</html>"),
  "/sse-id": (res) =>
    res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req-sse-1" }).end(options),
  "/json-429-id": (res) =>
    res
      .writeHead(429, { "content-type": "application/json", "x-request-id": "req-429" })
      .end('{"detail":"Slow down.","code":"rate_limited","request_id":"req-429"}'),
  "/json-401": (res) =>
    res
      .writeHead(401, { "content-type": "application/json" })
      .end('{"detail":"Sign in to continue.","code":"unauthorized"}'),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ headers: req.headers, body });
      (answers[req.url ?? ""] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function drain(it: AsyncGenerator<ThreadStreamEvent>) {
  const events: ThreadStreamEvent[] = [];
  try {
    for await (const e of it) events.push(e);
    return { events, error: null as unknown };
  } catch (error) {
    return { events, error };
  }
}

describe("createChatKitClient", () => {
  it("POSTs the request as JSON with the right accept header and per-request headers", async () => {
    let n = 0;
    const client = createChatKitClient({ url: `${base}/json`, headers: () => ({ authorization: `Bearer t${++n}` }) });
    expect(await client.json(threadsList({ limit: 2 }))).toEqual({ data: [], has_more: false });
    await client.json(threadsList());
    const [first, second] = seen.slice(-2);
    expect(JSON.parse(first!.body)).toEqual(threadsList({ limit: 2 }));
    expect(first!.headers).toMatchObject({
      "content-type": "application/json",
      accept: "application/json",
      authorization: "Bearer t1",
    });
    expect(second!.headers.authorization).toBe("Bearer t2");

    const sse = createChatKitClient({ url: `${base}/sse`, headers: { "x-extra": "1" } });
    expect((await drain(sse.stream(threadsCreate("hi")))).events).toEqual([
      { type: "stream_options", stream_options: { allow_cancel: true } },
    ]);
    expect(seen.at(-1)!.headers).toMatchObject({ accept: "text/event-stream", "x-extra": "1" });
  });

  it("a connection dropped mid-stream is a StreamCutError after the events that did arrive", async () => {
    const got = await drain(createChatKitClient({ url: `${base}/sse-drop` }).stream(threadsCreate("hi")));
    expect(got.events.map((e) => e.type)).toEqual(["stream_options"]);
    expect(got.error).toBeInstanceOf(StreamCutError);
    expect((got.error as StreamCutError).reason).toBe("body_error");
  });

  it("a connection dropped exactly between two frames is still cut: the chunked body never ended", async () => {
    const got = await drain(createChatKitClient({ url: `${base}/sse-drop-between` }).stream(threadsCreate("hi")));
    expect(got.events.map((e) => e.type)).toEqual(["stream_options"]);
    expect(got.error).toMatchObject({ name: "StreamCutError", reason: "body_error" });
  });

  it("a body that ends inside a frame, or before any event, is a StreamCutError too", async () => {
    const half = await drain(createChatKitClient({ url: `${base}/sse-half` }).stream(threadsCreate("hi")));
    expect(half.events).toHaveLength(1);
    expect(half.error).toMatchObject({ name: "StreamCutError", reason: "mid_frame" });
    const empty = await drain(createChatKitClient({ url: `${base}/sse-empty` }).stream(threadsCreate("hi")));
    expect(empty.error).toMatchObject({ name: "StreamCutError", reason: "empty" });
  });

  it("a refused connection is a StreamCutError with no response", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/chatkit`;
    await new Promise((r) => closed.close(r));
    const err = await createChatKitClient({ url })
      .json(threadsList())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "StreamCutError", reason: "no_response" });
  });

  it("Stop aborts the stream with an AbortError, not a cut connection", async () => {
    const controller = new AbortController();
    const events: ThreadStreamEvent[] = [];
    const err = await (async () => {
      for await (const e of createChatKitClient({ url: `${base}/sse-slow` }).stream(threadsCreate("hi"), {
        signal: controller.signal,
      })) {
        events.push(e);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(events).toHaveLength(1);
    expect(isAbortError(err)).toBe(true);
    expect(err).not.toBeInstanceOf(StreamCutError);
  });

  it("errors without our JSON body keep their status; a 200 that is not our protocol is a protocol error", async () => {
    const bad = await createChatKitClient({ url: `${base}/html-502` })
      .json(threadsList())
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ChatKitHttpError);
    expect(bad).toMatchObject({ status: 502, code: "http_502" });
    const html = await drain(createChatKitClient({ url: `${base}/html-200` }).stream(threadsCreate("hi")));
    expect(html.error).toBeInstanceOf(ChatKitProtocolError);
    const notJson = await createChatKitClient({ url: `${base}/html-200` })
      .json(threadsList())
      .catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(ChatKitProtocolError);
  });

  it("the server's request id reaches the caller: onRequestId for a stream, requestId on an HTTP error", async () => {
    const ids: string[] = [];
    await drain(
      createChatKitClient({ url: `${base}/sse-id` }).stream(threadsCreate("hi"), { onRequestId: (id) => ids.push(id) }),
    );
    expect(ids).toEqual(["req-sse-1"]);
    const refused = await drain(createChatKitClient({ url: `${base}/json-429-id` }).stream(threadsCreate("hi")));
    expect(refused.error).toMatchObject({ status: 429, code: "rate_limited", requestId: "req-429" });
  });

  it("a 401 carries the server's code and detail, so a UI can send the user to sign in", async () => {
    const err = await drain(createChatKitClient({ url: `${base}/json-401` }).stream(threadsCreate("hi")));
    expect(err.error).toMatchObject({ status: 401, code: "unauthorized", detail: "Sign in to continue." });
  });
});
