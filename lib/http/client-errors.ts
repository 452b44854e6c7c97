/**
 * Requests Node's HTTP parser refuses before any app code runs (headers over its 16 KB limit, a
 * malformed request line or header, an unknown method) get our JSON error body instead of Node's
 * bare status line. Node emits `clientError` on the server for them and writes its own answer
 * only when nobody listens; `next start` does not listen and gives app code no handle on its
 * server, so the hook installed at start-up (instrumentation-node.ts) answers the event for any
 * server of this process that has no listener of its own. The statuses stay Node's: 431 for
 * oversized headers, 413 for oversized chunk extensions, 408 for a request that timed out,
 * else 400. The connection is closed, as Node does: the parser cannot resynchronise.
 */
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ErrorBody } from "./error-body";

type Answer = { status: number; reason: string } & ErrorBody;

const ANSWERS: Record<string, Answer> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: "Request Header Fields Too Large",
    code: "request_headers_too_large",
    detail: "The request headers are larger than the server accepts (16 KB in all)",
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    reason: "Payload Too Large",
    code: "payload_too_large",
    detail: "The request's chunk extensions are too large",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    code: "request_timeout",
    detail: "The request took too long to arrive",
  },
};
const MALFORMED: Answer = {
  status: 400,
  reason: "Bad Request",
  code: "malformed_request",
  detail: "The request is not valid HTTP/1.1",
};

/** The raw HTTP/1.1 answer to a request the parser refused with `code`. */
export function clientErrorAnswer(code: string | undefined): string {
  const { status, reason, ...body } = (code && ANSWERS[code]) || MALFORMED;
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    "Content-Type: application/json\r\n" +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    "X-Content-Type-Options: nosniff\r\n" +
    "Connection: close\r\n\r\n" +
    json
  );
}

type Socket = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

/** What Node does by default, with our body: answer unless a response is already under way, then close. */
function answer(error: NodeJS.ErrnoException, socket: Socket): void {
  if (socket.writable && !socket._httpMessage?.headersSent) socket.write(clientErrorAnswer(error.code));
  socket.destroy(error);
}

let installed = false;

/** Called once at server start (instrumentation-node.ts); servers with their own listener keep it. */
export function installClientErrorAnswers(http: { Server: typeof Server }): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "clientError" && this.listenerCount("clientError") === 0) {
      answer(args[0] as NodeJS.ErrnoException, args[1] as Socket);
      return true;
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
