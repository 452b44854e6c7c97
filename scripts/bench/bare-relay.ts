/**
 * Benchmark yardstick: the least a relay can do — plain `node:http` and the OpenAI SDK, no
 * framework, no ChatKit, no database. `POST /` with `{"text": "..."}` streams the model's
 * Responses events back as SSE frames, one frame per event. Run as its own process so its CPU
 * time is measured apart: `tsx scripts/bench/bare-relay.ts <port>` (OPENAI_BASE_URL, OPENAI_API_KEY).
 */
import http from "node:http";
import OpenAI from "openai";

const port = Number(process.argv[2] ?? 0);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });

const server = http.createServer((req, res) => {
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (raw += chunk));
  req.on("end", () => {
    void relay(raw, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: err instanceof Error ? err.message : String(err) }));
    });
  });
});

async function relay(raw: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { text } = JSON.parse(raw) as { text: string };
  const abort = new AbortController();
  req.socket.on("close", () => abort.abort());
  const stream = await client.responses.create(
    { model: "gpt-4.1-mini", input: text, stream: true, store: false },
    { signal: abort.signal },
  );
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for await (const event of stream) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end();
}

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : port });
});
