/** A tiny WebSocket → TCP relay so the Neon driver can reach the local PostgreSQL in tests. */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export async function startNeonRelay(): Promise<{ proxy: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://relay").searchParams.get("address") ?? "";
    const [host, port] = address.split(":");
    const socket = net.connect(Number(port), host ?? "127.0.0.1");
    socket.on("data", (chunk) => ws.send(chunk));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("message", (data) => socket.write(data as Buffer));
    ws.on("close", () => socket.destroy());
  });
  await new Promise<void>((resolve) => wss.on("listening", () => resolve()));
  const { port } = wss.address() as AddressInfo;
  return {
    proxy: `127.0.0.1:${port}/v2`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
