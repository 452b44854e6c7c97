/** HTTP plumbing shared by the fake's routes: body reading, JSON and error answers, ids. */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const newId = (prefix: string, bytes = 12) => `${prefix}${randomBytes(bytes).toString("hex")}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Headers every OpenAI answer carries; the SDK exposes x-request-id as `_request_id`. */
function baseHeaders(): Record<string, string> {
  return { "x-request-id": newId("req_", 8), "openai-processing-ms": "1" };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders(),
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export type ErrorType = "invalid_request_error" | "server_error" | "requests" | "insufficient_quota";

/** The error body shape of every OpenAI endpoint: `{error:{message,type,param,code}}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  options: { type?: ErrorType; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
) {
  const type = options.type ?? (status >= 500 ? "server_error" : "invalid_request_error");
  sendJson(
    res,
    status,
    { error: { message, type, param: options.param ?? null, code: options.code ?? null } },
    options.headers,
  );
}

export function startSse(res: ServerResponse) {
  res.writeHead(200, {
    ...baseHeaders(),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  res.flushHeaders();
}

/** One SSE frame; the Responses API names each event after its JSON `type`. */
export const sseFrame = (event: { type: string; sequence_number?: number }) =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
