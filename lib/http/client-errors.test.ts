/** Requests Node's parser refuses: our JSON body and the connection closed, over a real socket. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "@/e2e/support/raw-http";
import { errorBodySchema } from "./error-body";
import { clientErrorAnswer, installClientErrorAnswers } from "./client-errors";

let server: http.Server;
let port: number;

beforeAll(async () => {
  installClientErrorAnswers(http);
  server = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("answers to requests the HTTP parser refuses", () => {
  it("headers over Node's 16 KB limit get a JSON 431, and the connection closes", async () => {
    const answer = await rawExchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.head).toContain("content-type: application/json");
    expect(answer.head).toContain("connection: close");
    expect(JSON.parse(answer.body)).toEqual({
      code: "request_headers_too_large",
      detail: expect.stringContaining("16 KB"),
    });
  });

  it("a malformed request line or an unknown method gets a JSON 400", async () => {
    for (const bytes of [
      "NOT HTTP AT ALL\r\n\r\n",
      "FOO / HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    ]) {
      const answer = await rawExchange(port, bytes);
      expect(answer.status, bytes).toBe(400);
      expect(errorBodySchema.parse(JSON.parse(answer.body)).code).toBe("malformed_request");
    }
  });

  it("a well-formed request on the same server is untouched", async () => {
    const answer = await rawExchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("ok");
  });

  it("a server with its own clientError listener keeps it", async () => {
    const own = http.createServer((_req, res) => res.end());
    own.on("clientError", (_err, socket) => socket.end("HTTP/1.1 400 Mine\r\nConnection: close\r\n\r\n"));
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    try {
      const answer = await rawExchange((own.address() as AddressInfo).port, "NOT HTTP\r\n\r\n");
      expect(answer.head).toContain("400 mine");
    } finally {
      await new Promise<void>((resolve) => own.close(() => resolve()));
    }
  });

  it("each answer's Content-Length is its body's byte length", () => {
    for (const code of [
      "HPE_HEADER_OVERFLOW",
      "HPE_CHUNK_EXTENSIONS_OVERFLOW",
      "ERR_HTTP_REQUEST_TIMEOUT",
      undefined,
    ]) {
      const [head = "", body = ""] = clientErrorAnswer(code).split("\r\n\r\n");
      expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    }
  });
});
