/** Raw bytes to a server on 127.0.0.1 over a plain socket: what it answers until it closes (Vitest and Playwright). */
import { connect } from "node:net";

export type RawAnswer = { status: number; head: string; body: string };

/** Sends `bytes`, reads until the server closes: status, headers (lower-cased) and body as text. */
export function rawExchange(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head: head.toLowerCase(), body });
    });
  });
}
