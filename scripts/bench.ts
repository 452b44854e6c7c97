/**
 * `npm run bench`: builds (unless --no-build) and starts the production server on the local
 * PostgreSQL with the OpenAI fake streaming without delay, then measures and prints a table
 * (also written to .data/bench/latest.json). Figures, not assertions.
 *
 *   relay overhead      fake's first delta written → first delta byte read by the client
 *   stream throughput   events/s of a 2,000-delta reply: /chatkit vs a bare relay route
 *   JSON endpoints      req/s and p99 at 50 connections vs a trivial JSON route
 *   concurrency         200 simultaneous SSE streams: errors, peak RSS
 *   CPU per delta       server CPU time (all threads, from /proc) per streamed delta
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import { start as startOpenAIFake, type FakeOpenAI } from "../e2e/fakes/openai/server";
import { recreateDatabase } from "../e2e/support/admin-db";
import { TEST_DATABASE_URL, withDatabase } from "../e2e/support/test-database-url";

const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const DATABASE = "bench";
const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const N_LATENCY = quick ? 50 : 200;

type Row = { metric: string; chatkit: string; baseline: string; ratio: string; target: string };
const rows: Row[] = [];
const results: Record<string, unknown> = {};

// ---------------------------------------------------------------------------- helpers

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const signedMs = (n: number) => `${n >= 0 ? "+" : "−"}${fmt(Math.abs(n))} ms`;

function descendants(pid: number): number[] {
  const out = [pid];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (out.includes(ppid)) out.push(Number(entry));
    } catch {
      /* process went away */
    }
  }
  return out;
}

/** Nanoseconds on CPU of the server process tree, summed over every thread (schedstat). */
function cpuNs(pid: number): number {
  let total = 0;
  for (const p of descendants(pid)) {
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        total += Number(readFileSync(`/proc/${p}/task/${task}/schedstat`, "utf8").split(" ")[0]);
      }
    } catch {
      /* gone */
    }
  }
  return total;
}

function rssKb(pid: number): number {
  let total = 0;
  for (const p of descendants(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return total;
}

type StreamResult = { firstDeltaAt: number; events: number; start: number; end: number; error?: string };

/** POSTs and reads an SSE answer, noting when the first text delta arrives. */
function streamRequest(
  path: string,
  body: unknown,
  headers: Record<string, string>,
  deltaMarker: string,
): Promise<StreamResult> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const start = performance.now();
    const result: StreamResult = { firstDeltaAt: NaN, events: 0, start, end: NaN };
    const req = http.request(
      `${BASE}${path}`,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) result.error = `status ${res.statusCode}`;
        let tail = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (Number.isNaN(result.firstDeltaAt) && chunk.includes(deltaMarker)) result.firstDeltaAt = performance.now();
          const text = tail + chunk;
          let count = 0;
          let i = text.indexOf("\n\n");
          let last = 0;
          while (i >= 0) {
            count++;
            last = i + 2;
            i = text.indexOf("\n\n", last);
          }
          tail = text.slice(last);
          result.events += count;
        });
        res.on("end", () => {
          result.end = performance.now();
          if (!result.error && /"type":"error"/.test(tail)) result.error = "error event";
          resolve(result);
        });
        res.on("error", (err) => {
          result.error = err.message;
          result.end = performance.now();
          resolve(result);
        });
      },
    );
    req.on("error", (err) => {
      result.error = err.message;
      result.end = performance.now();
      resolve(result);
    });
    req.end(payload);
  });
}

const chatkitCreate = (text: string) => ({
  type: "threads.create",
  params: { input: { content: [{ type: "input_text", text }], attachments: [], inference_options: {} } },
});
const CHATKIT_DELTA = '"assistant_message.content_part.text_delta"';
const RELAY_DELTA = '"response.output_text.delta"';

async function jsonRequest(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

async function load(name: string, opts: autocannon.Options) {
  const result = await autocannon({ connections: 50, duration: quick ? 3 : 6, ...opts });
  const errors = result.errors + result.non2xx;
  return { name, rps: result.requests.average, p99: result.latency.p99, errors };
}

// ---------------------------------------------------------------------------- server

async function startServer(fake: FakeOpenAI): Promise<ChildProcess> {
  await recreateDatabase(DATABASE);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: withDatabase(TEST_DATABASE_URL, DATABASE),
    DATABASE_POOL_MAX: "20",
    JWT_SECRET: "bench-secret-0123456789abcdef0123456789",
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: fake.baseURL,
    RATE_LIMIT_DISABLED: "1",
    BENCH_ROUTES: "1",
    BCRYPT_COST: "4",
    PORT: String(PORT),
  };
  execSync("node node_modules/tsx/dist/cli.mjs db/migrate-cli.ts", { env, stdio: "inherit" });
  // --profile: a V8 CPU profile of the server (written when it exits) for finding where time goes.
  const nodeFlags = args.has("--profile") ? ["--cpu-prof", "--cpu-prof-dir=.data/bench/profiles"] : [];
  const child = spawn("node", [...nodeFlags, "node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

// ---------------------------------------------------------------------------- measurements

async function measureFirstDelta(fake: FakeOpenAI, auth: Record<string, string>, concurrency: number) {
  const overhead = { chatkit: [] as number[], relay: [] as number[] };
  const rounds = Math.ceil(N_LATENCY / concurrency);
  for (let r = 0; r < rounds; r++) {
    for (const kind of ["chatkit", "relay"] as const) {
      fake.clearRequests();
      const runs = await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          kind === "chatkit"
            ? streamRequest("/chatkit", chatkitCreate(`[deltas:20] bench ${r}-${i}`), auth, CHATKIT_DELTA)
            : streamRequest("/api/bench/relay", { text: `[deltas:20] bench ${r}-${i}` }, {}, RELAY_DELTA),
        ),
      );
      // Match each client to its model request by the unique text.
      const sent = fake.requests("/responses");
      runs.forEach((run, i) => {
        const marker = `bench ${r}-${i}`;
        const request = sent.find((q) => JSON.stringify(q.body).includes(marker));
        if (run.error || !request?.firstDeltaAt || Number.isNaN(run.firstDeltaAt)) return;
        overhead[kind].push(run.firstDeltaAt - request.firstDeltaAt);
      });
    }
  }
  return overhead;
}

async function measureThroughput(pid: number, auth: Record<string, string>) {
  const DELTAS = 2000;
  const runs = quick ? 3 : 8;
  const out: Record<string, { eventsPerSec: number; cpuPerDeltaUs: number }> = {};
  for (const kind of ["relay", "chatkit"] as const) {
    const rates: number[] = [];
    const cpuBefore = cpuNs(pid);
    for (let i = 0; i < runs; i++) {
      const run =
        kind === "chatkit"
          ? await streamRequest("/chatkit", chatkitCreate(`[deltas:${DELTAS}] long ${i}`), auth, CHATKIT_DELTA)
          : await streamRequest("/api/bench/relay", { text: `[deltas:${DELTAS}] long ${i}` }, {}, RELAY_DELTA);
      if (run.error) throw new Error(`${kind} stream failed: ${run.error}`);
      rates.push(run.events / ((run.end - run.start) / 1000));
    }
    const cpu = cpuNs(pid) - cpuBefore;
    out[kind] = { eventsPerSec: pct(rates, 50), cpuPerDeltaUs: cpu / 1000 / (runs * DELTAS) };
  }
  return out;
}

async function measureConcurrency(pid: number, auth: Record<string, string>) {
  const STREAMS = 200;
  let peak = rssKb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 25);
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: STREAMS }, (_, i) =>
      streamRequest("/chatkit", chatkitCreate(`[deltas:100] [slow:5] many ${i}`), auth, CHATKIT_DELTA),
    ),
  );
  clearInterval(sampler);
  const errors = runs.filter((r) => r.error || r.events < 100).length;
  return { streams: STREAMS, errors, peakRssMb: peak / 1024, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------- main

async function main() {
  if (!args.has("--no-build"))
    execSync("node node_modules/next/dist/bin/next build", {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
  const fake = await startOpenAIFake(0, {});
  const server = await startServer(fake);
  const pid = server.pid!;
  try {
    const signup = (await jsonRequest(
      "POST",
      "/api/auth/signup",
      {},
      { email: `bench-${Date.now()}@example.com`, password: "bench-password-1" },
    )) as {
      access_token: string;
    };
    const auth = { authorization: `Bearer ${signup.access_token}` };

    // Warm up both paths (JIT, connection pools, route compilation).
    for (let i = 0; i < 20; i++) {
      await streamRequest("/chatkit", chatkitCreate(`[deltas:50] warm ${i}`), auth, CHATKIT_DELTA);
      await streamRequest("/api/bench/relay", { text: `[deltas:50] warm ${i}` }, {}, RELAY_DELTA);
    }

    // Seed data for the JSON endpoints: a thread with items, and saved facts.
    const threadPage = (await jsonRequest("POST", "/chatkit", auth, {
      type: "threads.list",
      params: { limit: 1 },
    })) as { data: { id: string }[] };
    const threadId = threadPage.data[0]!.id;
    for (let i = 0; i < 20; i++) {
      const text = await new Promise<string>((resolve) => {
        const payload = JSON.stringify(chatkitCreate(`My name is Bench${i}`));
        const req = http.request(
          `${BASE}/chatkit`,
          { method: "POST", headers: { ...auth, "content-type": "application/json" } },
          (res) => {
            let body = "";
            res.on("data", (c: Buffer) => (body += c.toString()));
            res.on("end", () => resolve(body));
          },
        );
        req.end(payload);
      });
      const factId = /"fact_id":"(fact_[0-9a-f]+)"/.exec(text)?.[1];
      if (factId) await jsonRequest("POST", `/facts/${factId}/save`, auth);
    }

    if (args.has("--profile")) {
      console.log("profiling 2,000-delta replies and threads.list through /chatkit…");
      for (let i = 0; i < 10; i++)
        await streamRequest("/chatkit", chatkitCreate(`[deltas:2000] profile ${i}`), auth, CHATKIT_DELTA);
      const body = JSON.stringify({ type: "threads.list", params: { limit: 20 } });
      await load("threads.list", {
        url: `${BASE}/chatkit`,
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body,
      });
      return;
    }

    console.log("\nmeasuring relay overhead (1 stream)…");
    const single = await measureFirstDelta(fake, auth, 1);
    console.log("measuring relay overhead (10 concurrent streams)…");
    const ten = await measureFirstDelta(fake, auth, 10);
    const s50 = { chatkit: pct(single.chatkit, 50), relay: pct(single.relay, 50) };
    const s99 = { chatkit: pct(single.chatkit, 99), relay: pct(single.relay, 99) };
    const t50 = { chatkit: pct(ten.chatkit, 50), relay: pct(ten.relay, 50) };
    results.relayOverheadMs = {
      single: { ...single, p50: s50, p99: s99, samples: single.chatkit.length },
      ten: { p50: t50, p99: { chatkit: pct(ten.chatkit, 99), relay: pct(ten.relay, 99) } },
    };
    delete (results.relayOverheadMs as { single: Record<string, unknown> }).single.chatkit;
    delete (results.relayOverheadMs as { single: Record<string, unknown> }).single.relay;
    rows.push({
      metric: "first delta, 1 stream p50 (ms)",
      chatkit: fmt(s50.chatkit),
      baseline: fmt(s50.relay),
      ratio: signedMs(s50.chatkit - s50.relay),
      target: "≤ +4 ms",
    });
    rows.push({
      metric: "first delta, 1 stream p99 (ms)",
      chatkit: fmt(s99.chatkit),
      baseline: fmt(s99.relay),
      ratio: signedMs(s99.chatkit - s99.relay),
      target: "",
    });
    rows.push({
      metric: "first delta, 10 streams p50 (ms)",
      chatkit: fmt(t50.chatkit),
      baseline: fmt(t50.relay),
      ratio: `${fmt(t50.chatkit / t50.relay)}×`,
      target: "≤ 1.5×",
    });

    console.log("measuring stream throughput and CPU per delta…");
    const tp = await measureThroughput(pid, auth);
    results.throughput = tp;
    rows.push({
      metric: "2,000-delta reply (events/s)",
      chatkit: fmt(tp.chatkit!.eventsPerSec, 0),
      baseline: fmt(tp.relay!.eventsPerSec, 0),
      ratio: `${fmt(tp.chatkit!.eventsPerSec / tp.relay!.eventsPerSec)}×`,
      target: "≥ 0.7×",
    });
    rows.push({
      metric: "server CPU per delta (µs)",
      chatkit: fmt(tp.chatkit!.cpuPerDeltaUs, 1),
      baseline: fmt(tp.relay!.cpuPerDeltaUs, 1),
      ratio: `${fmt(tp.chatkit!.cpuPerDeltaUs / tp.relay!.cpuPerDeltaUs)}×`,
      target: "≤ 20 µs",
    });

    console.log("measuring JSON endpoints at 50 connections…");
    const headers = { ...auth, "content-type": "application/json" };
    const trivial = await load("trivial", { url: `${BASE}/api/bench/ping` });
    const json = [
      await load("threads.list", {
        url: `${BASE}/chatkit`,
        method: "POST",
        headers,
        body: JSON.stringify({ type: "threads.list", params: { limit: 20 } }),
      }),
      await load("items.list", {
        url: `${BASE}/chatkit`,
        method: "POST",
        headers,
        body: JSON.stringify({ type: "items.list", params: { thread_id: threadId, limit: 20 } }),
      }),
      await load("GET /facts", { url: `${BASE}/facts`, headers: auth }),
    ];
    results.json = { trivial, endpoints: json };
    for (const r of json) {
      rows.push({
        metric: `${r.name} (req/s, p99 ms)`,
        chatkit: `${fmt(r.rps, 0)}, ${r.p99}`,
        baseline: `${fmt(trivial.rps, 0)}, ${trivial.p99}`,
        ratio: `${fmt(r.rps / trivial.rps)}×${r.errors ? ` (${r.errors} errors)` : ""}`,
        target: "≥ 0.5×",
      });
    }

    console.log("measuring 200 simultaneous streams…");
    const conc = await measureConcurrency(pid, auth);
    results.concurrency = conc;
    rows.push({
      metric: "200 simultaneous SSE streams",
      chatkit: `${conc.errors} errors`,
      baseline: "",
      ratio: `peak RSS ${fmt(conc.peakRssMb, 0)} MB`,
      target: "0 errors",
    });
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    await fake.close();
  }
  if (args.has("--profile")) {
    console.log("profile written under .data/bench/profiles (open it in Chrome DevTools)");
    return;
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const widths = [36, 16, 16, 22, 10];
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nBenchmark on ${machine}${quick ? " (quick)" : ""}\n`);
  console.log(line(["metric", "/chatkit", "baseline", "ratio", "target"]));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line([r.metric, r.chatkit, r.baseline, r.ratio, r.target]));
  mkdirSync(".data/bench", { recursive: true });
  writeFileSync(
    ".data/bench/latest.json",
    JSON.stringify({ machine, at: new Date().toISOString(), rows, results }, null, 2),
  );
  console.log("\nwritten to .data/bench/latest.json");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
