/**
 * `npm run bench`: builds (unless --no-build) and starts our production server on the local
 * PostgreSQL with the OpenAI fake streaming without delay, next to two outside yardsticks
 * relaying the same fake model stream, and measures them interleaved in one run (figures, not
 * assertions; table on stdout, JSON in .data/bench/latest.json):
 *
 *   bare   plain node:http + the OpenAI SDK, no framework, no ChatKit, no database
 *          (scripts/bench/bare-relay.ts)
 *   peer   chatkit-node-backend-sdk, the TypeScript ChatKit server on npm, in-memory store
 *          (scripts/bench/peer-server.ts)
 *   ours   POST /chatkit (threads.create), its database reached through a TCP proxy that can
 *          add a fixed delay each way and logs every round trip (scripts/bench/pg-delay-proxy.ts)
 *   before with --before <dir>: another checkout's build of ours (e.g. main before a change),
 *          measured the same way, for before/after figures from one run
 *
 * Measured: response headers and first delta, both timed from the request, at 1 and 10
 * concurrent streams; deltas/s of a 2,000-delta reply and each server's CPU per delta, and its
 * CPU per request (a 20-delta reply, one at a time: the fixed cost of a request); per
 * request type the serial database round trips before the model call and the first-delta cost
 * of a database 2 ms away each way (the serial count that decides is taken with the database
 * away: on a local one a round trip is as short as the CPU work between two queries that start
 * together, so overlapping reads can look serial); the JSON paths' round trips and req/s at 50 connections
 * against a trivial route of the same server; 200 simultaneous streams. The issue's targets are
 * printed with pass/fail.
 *
 *   --no-build       reuse the last build        --quick     fewer samples
 *   --before <dir>   also run that checkout      --delay N   ms each way in remote mode (2)
 *   --profile        V8 CPU profile of our server under load, nothing else (--short: short replies;
 *                    --profile-app <names>: which variants to drive, taking turns, e.g.
 *                    ours,ours_sampled with --observability; --rounds N: N × 10 short replies, 40)
 *   --observability  the cost of logs and traces, nothing else: ours with logging and tracing off
 *                    (LOG_LEVEL=silent), as deployed (JSON logs, no exporter), with every request's
 *                    trace exported over OTLP to a receiver in this process, and with one in ten
 *                    sampled; each in --processes N servers (2), as servers of one build differ
 *                    by a few per cent in CPU (JIT and GC timing), which would hide a 5 % cost;
 *                    with --before, that checkout's build traced as well; --variant name:K=V,K=V
 *                    (repeatable) adds ours traced with those settings (e.g. a sampler);
 *                    --in-process: only the traced servers, each measured against itself (quick)
 */
import { userInput } from "@/e2e/support/chatkit/fixtures";
import { execSync, fork, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { markdownTable } from "./bench/markdown-table";
import { start as startOpenAIFake, type FakeOpenAI } from "../e2e/fakes/openai/server";
import { recreateDatabase } from "../e2e/support/admin-db";
import { TEST_DATABASE_URL, withDatabase } from "../e2e/support/test-database-url";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const quick = flag("--quick");
const BEFORE_DIR = option("--before");
const DELAY_MS = Number(option("--delay") ?? 2);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 3290);
const SAMPLES_1 = quick ? 30 : 80;
const ROUNDS_10 = quick ? 4 : 10;
const SAMPLES_REMOTE = quick ? 15 : 40;
const LONG_RUNS = quick ? 3 : 6;
const LONG_DELTAS = 2000;
const OBSERVABILITY = flag("--observability");
// With --observability, enough short replies that span batches are exported while they are measured,
// after as many again to warm the short path up (its code is only optimised after a few hundred).
const SHORT_REPLIES = OBSERVABILITY ? (quick ? 300 : 600) : quick ? 30 : 80;
const SHORT_WARMUP = OBSERVABILITY ? SHORT_REPLIES / 2 : 0;
const PROCESSES = OBSERVABILITY ? Math.max(1, Number(option("--processes") ?? 2)) : 1;
const LOAD_SECONDS = quick ? 3 : 6;
// --observability --in-process: only the servers tracing every request, each paused and resumed.
const IN_PROCESS_ONLY = OBSERVABILITY && flag("--in-process");

const results: Record<string, unknown> = {};

// ---------------------------------------------------------------------------- helpers

const pct = (values: number[], p: number) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const p50 = (values: number[]) => pct(values, 50);
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const epoch = (perfNow: number) => performance.timeOrigin + perfNow;

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

/** Nanoseconds on CPU of a process tree, summed over every thread (schedstat). */
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

type StreamResult = {
  start: number;
  headersAt: number;
  firstByteAt: number;
  firstDeltaAt: number;
  end: number;
  events: number;
  body: string;
  error?: string;
};

/** POSTs and reads an SSE answer, noting when headers, the first byte and the first text delta arrive. */
function streamRequest(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  deltaMarker: string,
  keepBody = false,
): Promise<StreamResult> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const start = performance.now();
    const result: StreamResult = {
      start,
      headersAt: NaN,
      firstByteAt: NaN,
      firstDeltaAt: NaN,
      end: NaN,
      events: 0,
      body: "",
    };
    const req = http.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        agent: false,
      },
      (res) => {
        result.headersAt = performance.now();
        if (res.statusCode !== 200) result.error = `status ${res.statusCode}`;
        let tail = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const at = performance.now();
          if (Number.isNaN(result.firstByteAt)) result.firstByteAt = at;
          if (Number.isNaN(result.firstDeltaAt) && chunk.includes(deltaMarker)) result.firstDeltaAt = at;
          if (keepBody) result.body += chunk;
          const text = tail + chunk;
          let i = text.indexOf("\n\n");
          let last = 0;
          while (i >= 0) {
            result.events++;
            last = i + 2;
            i = text.indexOf("\n\n", last);
          }
          tail = text.slice(last);
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

const CHATKIT_DELTA = '"assistant_message.content_part.text_delta"';
const RELAY_DELTA = '"response.output_text.delta"';
const chatkitCreate = (text: string) => ({ type: "threads.create", params: { input: userInput(text) } });

async function jsonRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

async function load(opts: autocannon.Options) {
  const result = await autocannon({ connections: 50, duration: LOAD_SECONDS, ...opts });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

// ---------------------------------------------------------------------------- processes

/** The round-trip logging, delaying proxy in front of PostgreSQL (its own process). */
class DelayProxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Record<string, number>,
  ) {}

  static async start(names: string[]): Promise<DelayProxy> {
    const pg = new URL(TEST_DATABASE_URL);
    const child = fork(path.resolve("scripts/bench/pg-delay-proxy.ts"), [pg.hostname, pg.port || "5432", ...names], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ports = await new Promise<Record<string, number>>((resolve) =>
      child.once("message", (m) => resolve((m as { ports: Record<string, number> }).ports)),
    );
    return new DelayProxy(child, ports);
  }

  setDelay(ms: number) {
    this.child.send({ type: "delay", ms });
  }

  take(name: string): Promise<Trip[]> {
    return new Promise((resolve) => {
      this.child.once("message", (m) => resolve((m as { trips: Trip[] }).trips));
      this.child.send({ type: "take", name });
    });
  }

  stop() {
    this.child.kill();
  }
}

type Trip = { start: number; end: number; setup: boolean };

/**
 * The longest chain of query round trips one after another inside [from, to] (epoch ms): the
 * serial ones; `total` counts every query trip inside, `setups` the connections opened meanwhile.
 */
function serialTrips(trips: Trip[], from: number, to: number) {
  const inside = trips.filter((t) => t.start >= from && t.end <= to);
  const queries = inside.filter((t) => !t.setup).sort((a, b) => a.end - b.end);
  let serial = 0;
  let free = -Infinity;
  for (const t of queries) {
    if (t.start >= free) {
      serial++;
      free = t.end;
    }
  }
  return { serial, total: queries.length, setups: inside.length - queries.length };
}

async function waitFor(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

function startYardstick(script: string, port: number, fake: FakeOpenAI): ChildProcess {
  return spawn("node", ["--import", "tsx", script, String(port)], {
    env: { ...process.env, OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: fake.baseURL, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
}

async function startApp(
  dir: string,
  database: string,
  dbPort: number,
  port: number,
  fake: FakeOpenAI,
  extraEnv: Record<string, string> = {},
) {
  await recreateDatabase(database);
  const direct = withDatabase(TEST_DATABASE_URL, database);
  const viaProxy = new URL(direct);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(dbPort);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: direct,
    DATABASE_POOL_MAX: "20",
    JWT_SECRET: "bench-secret-0123456789abcdef0123456789",
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: fake.baseURL,
    WORKFLOW_ID: "wf_bench",
    APP_BASE_URL: `http://127.0.0.1:${port}`,
    RATE_LIMIT_DISABLED: "1",
    BENCH_ROUTES: "1",
    BCRYPT_COST: "4",
    PORT: String(port),
    ...extraEnv,
  };
  execSync("node node_modules/tsx/dist/cli.mjs --conditions=react-server db/migrate-cli.ts", {
    cwd: dir,
    env,
    stdio: "inherit",
  });
  const nodeFlags = flag("--profile")
    ? ["--cpu-prof", "--cpu-prof-interval=250", "--cpu-prof-dir=.data/bench/profiles"]
    : [];
  const child = spawn("node", [...nodeFlags, "node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    cwd: dir,
    env: { ...env, DATABASE_URL: viaProxy.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(`http://127.0.0.1:${port}/health`);
  return child;
}

// ---------------------------------------------------------------------------- targets

type Target = {
  name: string;
  pid: number;
  base: string;
  /** Streams one reply of `text` (a fake-model script such as "[deltas:20] hi"). */
  stream: (text: string, keepBody?: boolean) => Promise<StreamResult>;
  /** Ours only: the app's proxy listener, its auth and seeded ids. */
  app?: { proxy: string; auth: Record<string, string>; seed: Seed };
};
type Seed = { threadId: string; userMessageId: string; factThreadId: string; widgetId: string; factId: string };

function relayTarget(name: string, pid: number, base: string): Target {
  return { name, pid, base, stream: (text) => streamRequest(`${base}/`, { text }, {}, RELAY_DELTA) };
}

function chatkitTarget(name: string, pid: number, base: string, path: string, auth: Record<string, string>): Target {
  return {
    name,
    pid,
    base,
    stream: (text, keepBody) => streamRequest(`${base}${path}`, chatkitCreate(text), auth, CHATKIT_DELTA, keepBody),
  };
}

async function seedApp(t: Target): Promise<Seed> {
  const auth = t.app!.auth;
  const first = await t.stream("[deltas:5] seed", true);
  const threadId = /"thread":\{"id":"([^"]+)"/.exec(first.body)?.[1];
  const userMessageId = /"type":"user_message","id":"([^"]+)"/.exec(first.body)?.[1];
  let widgetId = "";
  let factId = "";
  let factThreadId = "";
  for (let i = 0; i < 20; i++) {
    const r = await t.stream(`My name is Bench${i}`, true);
    const id = /"fact_id":"(fact_[0-9a-f]+)"/.exec(r.body)?.[1];
    const widget = /"type":"widget","id":"([^"]+)"/.exec(r.body)?.[1];
    if (id && widget && !factId) {
      factId = id;
      widgetId = widget;
      factThreadId = /"thread":\{"id":"([^"]+)"/.exec(r.body)?.[1] ?? "";
      // The card is acted on by threads.custom_action below; the rest are saved over REST.
      continue;
    }
    if (id) await jsonRequest(t.base, "POST", `/facts/${id}/save`, auth);
  }
  if (!threadId || !userMessageId || !factId) throw new Error(`${t.name}: seeding failed`);
  return { threadId, userMessageId, factThreadId, widgetId, factId };
}

// ---------------------------------------------------------------------------- measurements

type Latency = { headers: number[]; firstDelta: number[]; errors: number };
const newLatency = (): Latency => ({ headers: [], firstDelta: [], errors: 0 });

function note(into: Latency, run: StreamResult) {
  if (run.error || Number.isNaN(run.firstDeltaAt)) {
    into.errors++;
    return;
  }
  into.headers.push(run.headersAt - run.start);
  into.firstDelta.push(run.firstDeltaAt - run.start);
}

/** First delta and headers from the request, `concurrency` at once, targets interleaved round by round. */
async function measureFirstDelta(targets: Target[], concurrency: number, rounds: number) {
  const out = Object.fromEntries(targets.map((t) => [t.name, newLatency()]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so no target always runs right after another.
    const order = targets.map((_, i) => targets[(i + r) % targets.length]!);
    for (const t of order) {
      const runs = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => t.stream(`[deltas:20] bench ${concurrency} ${r}-${i}`)),
      );
      for (const run of runs) note(out[t.name]!, run);
    }
  }
  return out;
}

async function measureThroughput(targets: Target[]) {
  const acc = Object.fromEntries(targets.map((t) => [t.name, { rates: [] as number[], cpu: 0, deltas: 0 }]));
  for (let i = 0; i < LONG_RUNS; i++) {
    for (const t of targets) {
      const before = cpuNs(t.pid);
      const run = await t.stream(`[deltas:${LONG_DELTAS}] long ${i}`);
      const cpu = cpuNs(t.pid) - before;
      if (run.error) throw new Error(`${t.name} stream failed: ${run.error}`);
      const a = acc[t.name]!;
      a.rates.push(run.events / ((run.end - run.start) / 1000));
      a.cpu += cpu;
      a.deltas += LONG_DELTAS;
    }
  }
  // The fixed cost of a request: CPU of a 20-delta reply, one at a time, the targets taking turns
  // in rounds so a change in the machine's pace falls on all alike. Each server's CPU is read over
  // the whole phase and a little after, so work it does in the background (a span export) counts.
  const ROUND = 20;
  for (let i = 0; i < SHORT_WARMUP; i++) for (const t of targets) await t.stream(`[deltas:20] warm short ${i}`);
  const started = Object.fromEntries(targets.map((t) => [t.name, cpuNs(t.pid)]));
  // Each round starts with the next target: a server's CPU per request measured a few per cent
  // apart by its place in the round alone (a copy of `ours` measured last came out 2 % dearer).
  for (let done = 0, round = 0; done < SHORT_REPLIES; done += ROUND, round++)
    for (const t of [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)])
      for (let i = 0; i < ROUND; i++) await t.stream(`[deltas:20] short ${done + i}`);
  await new Promise((resolve) => setTimeout(resolve, 6_000)); // past the span processor's 5 s batch delay
  const perRequest = Object.fromEntries(
    targets.map((t) => [t.name, (cpuNs(t.pid) - started[t.name]!) / 1e6 / Math.ceil(SHORT_REPLIES / ROUND) / ROUND]),
  );
  return Object.fromEntries(
    Object.entries(acc).map(([name, a]) => [
      name,
      { eventsPerSec: p50(a.rates), cpuPerDeltaUs: a.cpu / 1000 / a.deltas, cpuPerShortReplyMs: perRequest[name]! },
    ]),
  );
}

/**
 * What recording costs within one process: each traced server alternates blocks of short replies
 * with recording paused and resumed (/api/bench/telemetry; BENCH_ROUTES), the order flipped every
 * pair, and its CPU is summed by phase. Servers of one build differ by a few per cent (JIT and GC
 * timing), as much as the cost to be measured; one process against itself does not. Every block
 * ends by pausing, which exports what was recorded, so that work counts in the block that made it.
 */
async function measureRecordingInProcess(apps: Target[]) {
  const BLOCK = Number(option("--block") ?? 10);
  const PAIRS = Number(option("--pairs") ?? (quick ? 20 : 60));
  // False where telemetry is not registered, or the build has no such route (--before's).
  const setRecording = async (t: Target, recording: boolean) =>
    (
      (await jsonRequest(t.base, "POST", "/api/bench/telemetry", {}, { recording }).catch(() => null)) as {
        registered?: boolean;
      } | null
    )?.registered === true;
  const traced: Target[] = [];
  for (const t of apps) if (await setRecording(t, true)) traced.push(t);
  const pairs = Object.fromEntries(traced.map((t) => [t.name, [] as { on: number; off: number }[]]));
  // Pair 0 warms the paused path up and is not counted.
  for (let pair = 0; pair <= PAIRS; pair++)
    for (const t of traced) {
      const spent = { on: 0, off: 0 };
      for (const phase of pair % 2 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        await setRecording(t, phase === "on");
        const before = cpuNs(t.pid);
        for (let i = 0; i < BLOCK; i++) await t.stream(`[deltas:20] paused-or-not ${pair}-${i}`);
        await setRecording(t, false);
        spent[phase] = (cpuNs(t.pid) - before) / 1e6 / BLOCK;
      }
      if (pair > 0) pairs[t.name]!.push(spent);
    }
  for (const t of traced) await setRecording(t, true);
  // Per server: mean CPU per request in each phase, and the median of the pairs' ratios (a GC
  // pause or a timer's work falling into one block moves the mean, not the median).
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return Object.fromEntries(
    traced.map((t) => {
      const list = pairs[t.name]!;
      return [
        t.name,
        {
          onMs: mean(list.map((p) => p.on)),
          offMs: mean(list.map((p) => p.off)),
          medianRatio: p50(list.map((p) => p.on / p.off)),
        },
      ];
    }),
  );
}

/** The streaming request types of one app, each with its body and what marks its first answer. */
function streamingRequests(seed: Seed) {
  return {
    "threads.create": (i: number) => chatkitCreate(`[deltas:20] remote ${i}`),
    "threads.add_user_message": (i: number) => ({
      type: "threads.add_user_message",
      params: { thread_id: seed.threadId, input: userInput(`[deltas:20] more ${i}`) },
    }),
    "threads.retry_after_item": () => ({
      type: "threads.retry_after_item",
      params: { thread_id: seed.threadId, item_id: seed.userMessageId },
    }),
    "threads.custom_action": () => ({
      type: "threads.custom_action",
      params: {
        thread_id: seed.factThreadId,
        item_id: seed.widgetId,
        action: { type: "fact.save", payload: { fact_id: seed.factId } },
      },
    }),
  } as const;
}

type PathFigures = {
  firstAnswerMs: number;
  headersMs: number;
  serialTrips: number;
  trips: number;
  setups: number;
  samples: number;
};

/**
 * Per request type: first answer (first delta; for custom_action, which calls no model, the first
 * event) and headers from the request, and the serial round trips between the request and the
 * model call (custom_action: the headers).
 */
async function measurePaths(t: Target, proxy: DelayProxy, fake: FakeOpenAI, samples: number) {
  const { auth, seed, proxy: name } = t.app!;
  const out: Record<string, PathFigures> = {};
  const kinds = streamingRequests(seed);
  const acc: Record<string, { first: number[]; headers: number[]; serial: number[]; trips: number[]; setups: number }> =
    {};
  // A warm pool, as on a server in use: ten streams at once open the connections parallel reads need.
  await Promise.all(Array.from({ length: 10 }, (_, i) => t.stream(`[deltas:5] pool ${i}`)));
  for (let i = 0; i < samples; i++) {
    for (const [kind, body] of Object.entries(kinds)) {
      fake.clearRequests();
      await proxy.take(name);
      const marker = kind === "threads.custom_action" ? '"thread.item.replaced"' : CHATKIT_DELTA;
      const run = await streamRequest(`${t.base}/chatkit`, body(i), auth, marker);
      const trips = await proxy.take(name);
      const a = (acc[kind] ??= { first: [], headers: [], serial: [], trips: [], setups: 0 });
      if (run.error || Number.isNaN(run.firstDeltaAt)) continue;
      const model = fake.requests("/responses")[0];
      const until = kind === "threads.custom_action" ? epoch(run.headersAt) : epoch(model?.receivedAt ?? NaN);
      const counted = serialTrips(trips, epoch(run.start), until);
      a.first.push(run.firstDeltaAt - run.start);
      a.headers.push(run.headersAt - run.start);
      a.serial.push(counted.serial);
      a.trips.push(counted.total);
      a.setups += counted.setups;
    }
  }
  for (const [kind, a] of Object.entries(acc)) {
    out[kind] = {
      firstAnswerMs: p50(a.first),
      headersMs: p50(a.headers),
      serialTrips: p50(a.serial),
      trips: p50(a.trips),
      setups: a.setups,
      samples: a.first.length,
    };
  }
  return out;
}

function jsonPaths(t: Target) {
  const { auth, seed } = t.app!;
  const headers = { ...auth, "content-type": "application/json" };
  return {
    "threads.list": {
      url: `${t.base}/chatkit`,
      method: "POST" as const,
      headers,
      body: JSON.stringify({ type: "threads.list", params: { limit: 20 } }),
    },
    "items.list": {
      url: `${t.base}/chatkit`,
      method: "POST" as const,
      headers,
      body: JSON.stringify({ type: "items.list", params: { thread_id: seed.threadId, limit: 20 } }),
    },
    "GET /facts": { url: `${t.base}/facts`, method: "GET" as const, headers: auth },
    "POST /facts/{id}/save": { url: `${t.base}/facts/${seed.factId}/save`, method: "POST" as const, headers },
    "POST /api/chatkit/session": {
      url: `${t.base}/api/chatkit/session`,
      method: "POST" as const,
      headers,
      body: "{}",
    },
  };
}

async function measureJsonTrips(t: Target, proxy: DelayProxy) {
  const out: Record<string, { serialTrips: number; trips: number }> = {};
  for (const [name, req] of Object.entries(jsonPaths(t))) {
    const serial: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < 5; i++) {
      await proxy.take(t.app!.proxy);
      const start = epoch(performance.now());
      const res = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: "body" in req ? req.body : undefined,
      });
      await res.arrayBuffer();
      const end = epoch(performance.now());
      if (!res.ok) throw new Error(`${t.name} ${name} → ${res.status}`);
      const counted = serialTrips(await proxy.take(t.app!.proxy), start, end);
      serial.push(counted.serial);
      total.push(counted.total);
    }
    out[name] = { serialTrips: p50(serial), trips: p50(total) };
  }
  return out;
}

/** req/s at 50 connections, the apps interleaved path by path, each against its own trivial route. */
async function measureJsonLoad(apps: Target[]) {
  type Figure = { rps: number; p99: number; errors: number; ratio: number };
  const out: Record<string, Record<string, Figure>> = Object.fromEntries(apps.map((t) => [t.name, {}]));
  for (const t of apps) {
    const trivial = await load({ url: `${t.base}/api/bench/ping` });
    out[t.name]!.trivial = { ...trivial, ratio: 1 };
  }
  for (const name of Object.keys(jsonPaths(apps[0]!))) {
    for (const t of apps) {
      const r = await load(jsonPaths(t)[name as keyof ReturnType<typeof jsonPaths>]);
      out[t.name]![name] = { ...r, ratio: r.rps / out[t.name]!.trivial!.rps };
    }
  }
  return out;
}

async function measureConcurrency(t: Target) {
  const STREAMS = 200;
  let peak = rssKb(t.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(t.pid))), 25);
  const runs = await Promise.all(
    Array.from({ length: STREAMS }, (_, i) => t.stream(`[deltas:100] [slow:5] many ${i}`)),
  );
  clearInterval(sampler);
  return { streams: STREAMS, errors: runs.filter((r) => r.error || r.events < 100).length, peakRssMb: peak / 1024 };
}

// ---------------------------------------------------------------------------- main

async function main() {
  if (!flag("--no-build"))
    execSync("node node_modules/next/dist/bin/next build", {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
  // The span pipeline on its own first, on a quiet machine: what the servers' figures then include.
  if (OBSERVABILITY && !IN_PROCESS_ONLY && !flag("--profile"))
    execSync("node node_modules/tsx/dist/cli.mjs --conditions=react-server scripts/bench/trace-pipeline.ts", {
      stdio: "inherit",
    });
  const load0 = os.loadavg();
  const fake = await startOpenAIFake(0, {});
  const sink = OBSERVABILITY ? await startOtlpSink() : undefined;
  // Per app: the checkout it runs and the settings it gets on top of the bench's own.
  const variants: Record<string, Variant> = sink
    ? replicate({
        ...(IN_PROCESS_ONLY
          ? {}
          : { ours_off: { dir: process.cwd(), env: { LOG_LEVEL: "silent" } }, ours: { dir: process.cwd(), env: {} } }),
        ours_traced: { dir: process.cwd(), env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } },
        ...(IN_PROCESS_ONLY
          ? {}
          : {
              ours_sampled: {
                dir: process.cwd(),
                env: {
                  OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
                  OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
                  OTEL_TRACES_SAMPLER_ARG: "0.1",
                },
              },
            }),
        // With --before, that checkout's build traced too: a before/after of the tracing cost in one run.
        ...(BEFORE_DIR
          ? { before_traced: { dir: path.resolve(BEFORE_DIR), env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } } }
          : {}),
        // --variant name:K=V,K=V (repeatable): ours traced with extra settings, to isolate one cost.
        ...extraVariants(sink.url),
      })
    : {
        ours: { dir: process.cwd(), env: {} },
        ...(BEFORE_DIR ? { before: { dir: path.resolve(BEFORE_DIR), env: {} } } : {}),
      };
  const appNames = Object.keys(variants);
  const proxy = await DelayProxy.start(appNames);
  const children: ChildProcess[] = [];
  try {
    const bare = startYardstick("scripts/bench/bare-relay.ts", BASE_PORT + 1, fake);
    const peer = startYardstick("scripts/bench/peer-server.ts", BASE_PORT + 2, fake);
    children.push(bare, peer);
    const apps: Target[] = [];
    for (const [i, name] of appNames.entries()) {
      const port = BASE_PORT + (i === 0 ? 0 : 2 + i);
      const { dir, env } = variants[name]!;
      const child = await startApp(dir, `bench_${name.replace("#", "_")}`, proxy.ports[name]!, port, fake, env);
      children.push(child);
      const base = `http://127.0.0.1:${port}`;
      const signup = (await jsonRequest(
        base,
        "POST",
        "/api/auth/signup",
        {},
        { email: `bench-${name.replace("#", "-")}-${Date.now()}@example.com`, password: "bench-password-1" },
      )) as { access_token: string };
      const auth = { authorization: `Bearer ${signup.access_token}` };
      const target = chatkitTarget(name, child.pid!, base, "/chatkit", auth);
      target.app = {
        proxy: name,
        auth,
        seed: { threadId: "", userMessageId: "", factThreadId: "", widgetId: "", factId: "" },
      };
      apps.push(target);
    }
    await waitFor(`http://127.0.0.1:${BASE_PORT + 1}/`);
    await waitFor(`http://127.0.0.1:${BASE_PORT + 2}/`);
    const targets: Target[] = [
      relayTarget("bare", bare.pid!, `http://127.0.0.1:${BASE_PORT + 1}`),
      chatkitTarget("peer", peer.pid!, `http://127.0.0.1:${BASE_PORT + 2}`, "/", {}),
      ...apps,
    ];

    // Warm up every path (JIT, pools, route compilation), then seed the apps' data.
    for (let i = 0; i < 15; i++) for (const t of targets) await t.stream(`[deltas:50] warm ${i}`);
    for (const t of apps) t.app!.seed = await seedApp(t);

    if (IN_PROCESS_ONLY) {
      // The other measures warm the short path up first (it is only optimised after a few hundred replies).
      for (const t of apps) for (let i = 0; i < 600; i++) await t.stream(`[deltas:20] warm-up ${i}`);
      console.log("recording paused and resumed in each server tracing every request…");
      printInProcess(await measureRecordingInProcess(apps));
      return;
    }

    if (flag("--profile")) {
      // Several variants (`--profile-app ours,ours_sampled`) take turns, so their profiles cover the same work.
      const wanted = (option("--profile-app") ?? "").split(",");
      const chosen = apps.filter((a) => wanted.includes(a.name) || wanted.includes(variantOf(a.name)));
      const profiled = chosen.length ? chosen : [apps[0]!];
      for (const p of profiled)
        console.log(`profiling ${p.name} (pid ${p.pid}): its profile is .data/bench/profiles/CPU.*.${p.pid}.*`);
      if (flag("--short")) {
        // Request overhead: many short replies, ten at a time.
        const started = performance.now();
        const rounds = Number(option("--rounds") ?? 40);
        for (let i = 0; i < rounds; i++)
          for (const p of profiled)
            await Promise.all(Array.from({ length: 10 }, (_, j) => p.stream(`[deltas:20] profile ${i}-${j}`)));
        console.log(`${rounds * 10} short replies each in ${fmt(performance.now() - started, 0)} ms`);
        return;
      }
      console.log("2,000-delta replies and threads.list through /chatkit…");
      for (const p of profiled) {
        for (let i = 0; i < 10; i++) await p.stream(`[deltas:2000] profile ${i}`);
        await load(jsonPaths(p)["threads.list"]);
      }
      return;
    }

    console.log("first delta, 1 stream…");
    const one = await measureFirstDelta(targets, 1, SAMPLES_1);
    console.log("first delta, 10 streams…");
    const ten = await measureFirstDelta(targets, 10, ROUNDS_10);
    console.log("2,000-delta replies and CPU per delta…");
    const tp = await measureThroughput(targets);
    if (sink) {
      console.log("recording paused and resumed in each server tracing every request…");
      const inProcess = await measureRecordingInProcess(apps.filter((a) => variantOf(a.name) !== "ours_sampled"));
      return reportObservability(targets, one, ten, tp, sink.received(), load0, inProcess);
    }
    // The floor under any route of the app: CPU per request of a trivial Next route.
    const floor: Record<string, number> = {};
    for (const t of apps) {
      const before = cpuNs(t.pid);
      // Uncompressed, like the event stream (a gzip stream per tiny answer would be counted otherwise).
      const headers = { "accept-encoding": "identity" };
      for (let i = 0; i < SHORT_REPLIES; i++)
        await (await fetch(`${t.base}/api/bench/ping`, { headers })).arrayBuffer();
      floor[t.name] = (cpuNs(t.pid) - before) / 1e6 / SHORT_REPLIES;
    }
    console.log("request types: local database…");
    const local: Record<string, Record<string, PathFigures>> = {};
    for (const t of apps) local[t.name] = await measurePaths(t, proxy, fake, SAMPLES_REMOTE);
    console.log(`request types: database ${DELAY_MS} ms away each way…`);
    proxy.setDelay(DELAY_MS);
    const remote: Record<string, Record<string, PathFigures>> = {};
    const remoteBare = newLatency();
    for (let i = 0; i < SAMPLES_REMOTE; i++) note(remoteBare, await targets[0]!.stream(`[deltas:20] remote ${i}`));
    for (const t of apps) remote[t.name] = await measurePaths(t, proxy, fake, SAMPLES_REMOTE);
    proxy.setDelay(0);
    console.log("JSON paths: round trips, then req/s at 50 connections…");
    const jsonTrips: Record<string, Record<string, { serialTrips: number; trips: number }>> = {};
    for (const t of apps) jsonTrips[t.name] = await measureJsonTrips(t, proxy);
    const jsonLoad = await measureJsonLoad(apps);
    console.log("200 simultaneous streams…");
    const conc: Record<string, Awaited<ReturnType<typeof measureConcurrency>>> = {};
    for (const t of apps) conc[t.name] = await measureConcurrency(t);
    const load1 = os.loadavg();

    // ------------------------------------------------------------------------ report
    const names = targets.map((t) => t.name);
    const s1 = Object.fromEntries(names.map((n) => [n, { fd: p50(one[n]!.firstDelta), h: p50(one[n]!.headers) }]));
    const s10 = Object.fromEntries(names.map((n) => [n, p50(ten[n]!.firstDelta)]));
    Object.assign(results, {
      loadAverage: { before: load0, after: load1 },
      delayMs: DELAY_MS,
      oneStream: Object.fromEntries(
        names.map((n) => [
          n,
          {
            firstDeltaP50: s1[n]!.fd,
            firstDeltaP99: pct(one[n]!.firstDelta, 99),
            headersP50: s1[n]!.h,
            errors: one[n]!.errors,
          },
        ]),
      ),
      tenStreams: Object.fromEntries(names.map((n) => [n, { firstDeltaP50: s10[n], errors: ten[n]!.errors }])),
      throughput: tp,
      trivialRouteCpuMs: floor,
      requestTypes: { local, remote, remoteBareFirstDeltaP50: p50(remoteBare.firstDelta) },
      json: { trips: jsonTrips, load: jsonLoad },
      concurrency: conc,
    });

    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    console.log(
      `\nBenchmark on ${machine}${quick ? " (quick)" : ""}; load average ${load0.map((l) => l.toFixed(1)).join(" ")} → ${load1.map((l) => l.toFixed(1)).join(" ")}\n`,
    );
    const table = (header: string[], rows: string[][]) => console.log(markdownTable(header, rows));
    table(
      [
        "",
        "first delta p50, 1 stream (ms)",
        "p99",
        "headers p50 (ms)",
        "first delta p50, 10 streams (ms)",
        "deltas/s p50",
        "CPU µs/delta",
        "CPU ms/request (20 deltas)",
      ],
      names.map((n) => [
        n,
        fmt(s1[n]!.fd),
        fmt(pct(one[n]!.firstDelta, 99)),
        fmt(s1[n]!.h),
        fmt(s10[n]!),
        fmt(tp[n]!.eventsPerSec, 0),
        fmt(tp[n]!.cpuPerDeltaUs, 1),
        fmt(tp[n]!.cpuPerShortReplyMs, 2),
      ]),
    );
    const pathRows: string[][] = [];
    for (const t of apps)
      for (const kind of Object.keys(local[t.name]!)) {
        const l = local[t.name]![kind]!;
        const r = remote[t.name]![kind]!;
        pathRows.push([
          `${t.name} ${kind}`,
          fmt(r.serialTrips, 0),
          fmt(l.serialTrips, 0),
          fmt(l.trips, 0),
          String(l.setups),
          fmt(l.headersMs),
          fmt(l.firstAnswerMs),
          fmt(r.headersMs),
          fmt(r.firstAnswerMs),
          `+${fmt(r.firstAnswerMs - l.firstAnswerMs)}`,
        ]);
      }
    table(
      [
        "request (p50)",
        `serial DB trips before model (DB +${DELAY_MS} ms)`,
        "same, local DB",
        "DB trips",
        "connections opened (all samples)",
        "headers (ms)",
        "first answer (ms)",
        `headers, DB +${DELAY_MS} ms (ms)`,
        `first answer, DB +${DELAY_MS} ms`,
        "cost of distance (ms)",
      ],
      pathRows,
    );
    const jsonRows: string[][] = [];
    for (const t of apps)
      for (const [name, f] of Object.entries(jsonLoad[t.name]!)) {
        const trips = jsonTrips[t.name]![name];
        jsonRows.push([
          `${t.name} ${name}`,
          trips ? `${fmt(trips.serialTrips, 0)} / ${fmt(trips.trips, 0)}` : "",
          fmt(f.rps, 0),
          String(f.p99),
          `${fmt(f.ratio)}×${f.errors ? ` (${f.errors} errors)` : ""}`,
        ]);
      }
    table(["JSON path", "DB trips serial / all", "req/s", "p99 (ms)", "vs trivial"], jsonRows);
    for (const [name, c] of Object.entries(conc))
      console.log(`200 simultaneous streams (${name}): ${c.errors} errors, peak RSS ${fmt(c.peakRssMb, 0)} MB`);
    for (const [name, ms] of Object.entries(floor))
      console.log(`CPU per request of a trivial route (${name}, the framework's floor): ${fmt(ms, 2)} ms`);
    console.log("");

    // ------------------------------------------------------------------------ targets
    const ours = "ours";
    const bareFd = s1.bare!.fd;
    const checks: [string, string, boolean][] = [];
    const check = (what: string, figure: string, ok: boolean) => checks.push([what, figure, ok]);
    check(
      "1 stream first delta ≤ bare + 3 ms",
      `${fmt(s1[ours]!.fd)} vs ${fmt(bareFd + 3)}`,
      s1[ours]!.fd <= bareFd + 3,
    );
    const remoteCreate = remote[ours]!["threads.create"]!.firstAnswerMs;
    const remoteBareFd = p50(remoteBare.firstDelta);
    check(
      `DB ${DELAY_MS} ms each way: first delta ≤ bare + 7 ms`,
      `${fmt(remoteCreate)} vs ${fmt(remoteBareFd + 7)}`,
      remoteCreate <= remoteBareFd + 7,
    );
    for (const kind of [
      "threads.create",
      "threads.add_user_message",
      "threads.custom_action",
      "threads.retry_after_item",
    ])
      check(
        `${kind}: ≤ 1 serial DB round trip before the model`,
        fmt(remote[ours]![kind]!.serialTrips, 0),
        remote[ours]![kind]!.serialTrips <= 1,
      );
    check("10 streams first delta ≤ 1.5× bare", `${fmt(s10[ours]! / s10.bare!)}×`, s10[ours]! <= 1.5 * s10.bare!);
    check(
      "10 streams first delta below the npm peer",
      `${fmt(s10[ours]!)} vs ${fmt(s10.peer!)}`,
      s10[ours]! < s10.peer!,
    );
    check(
      "deltas/s ≥ 0.75× bare",
      `${fmt(tp[ours]!.eventsPerSec / tp.bare!.eventsPerSec)}×`,
      tp[ours]!.eventsPerSec >= 0.75 * tp.bare!.eventsPerSec,
    );
    check("CPU per delta ≤ 15 µs", `${fmt(tp[ours]!.cpuPerDeltaUs, 1)} µs`, tp[ours]!.cpuPerDeltaUs <= 15);
    if (jsonLoad.before)
      for (const name of Object.keys(jsonLoad[ours]!).filter((n) => n !== "trivial")) {
        const now = jsonLoad[ours]![name]!.ratio;
        const then = jsonLoad.before[name]!.ratio;
        check(`${name}: loses ≤ 10 % req/s (vs trivial, against before)`, `${fmt(now / then)}×`, now >= 0.9 * then);
      }
    table(
      ["target", "figure", "holds"],
      checks.map(([what, figure, ok]) => [what, figure, ok ? "pass" : "FAIL"]),
    );
    results.targets = checks.map(([what, figure, ok]) => ({ what, figure, pass: ok }));
    mkdirSync(".data/bench", { recursive: true });
    writeFileSync(
      ".data/bench/latest.json",
      JSON.stringify({ machine, at: new Date().toISOString(), results }, null, 2),
    );
    console.log("written to .data/bench/latest.json");
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const timer = setTimeout(resolve, 10_000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGINT");
          }),
      ),
    );
    proxy.stop();
    await fake.close();
    await sink?.close();
  }
}

/** A stand-in OTLP/HTTP collector: takes every export, keeps only a count. */
async function startOtlpSink() {
  let exports = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => exports,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Variant = { dir: string; env: Record<string, string> };

/** Each variant as PROCESSES servers, `name#1`, `name#2`… (one server keeps its plain name). */
function extraVariants(sinkUrl: string): Record<string, Variant> {
  const out: Record<string, Variant> = {};
  argv.forEach((arg, i) => {
    const spec = arg === "--variant" ? argv[i + 1] : undefined;
    if (!spec) return;
    const [name, settings = ""] = spec.split(":", 2) as [string, string?];
    const env: Record<string, string> = { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl };
    for (const pair of settings.split(",").filter(Boolean)) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
    out[name] = { dir: process.cwd(), env };
  });
  return out;
}

/**
 * Servers are started and measured in this order. Those started later read a few per cent dearer
 * (one in ten traced read about as dear as every request traced while it came after it), so every
 * other round of servers runs in reverse order: each variant then has the same mean place.
 */
function replicate(variants: Record<string, Variant>): Record<string, Variant> {
  if (PROCESSES === 1) return variants;
  const out: Record<string, Variant> = {};
  const entries = Object.entries(variants);
  for (let i = 1; i <= PROCESSES; i++)
    for (const [name, variant] of i % 2 ? entries : [...entries].reverse()) out[`${name}#${i}`] = variant;
  return out;
}

const variantOf = (name: string) => name.replace(/#\d+$/, "");

/** `--observability`: the figures of the variants of ours, and what logging and tracing cost. */
function reportObservability(
  targets: Target[],
  one: Record<string, Latency>,
  ten: Record<string, Latency>,
  tp: Awaited<ReturnType<typeof measureThroughput>>,
  exportsReceived: number,
  load0: number[],
  inProcess: Record<string, { onMs: number; offMs: number; medianRatio: number }>,
) {
  const load1 = os.loadavg();
  const label: Record<string, string> = {
    bare: "bare relay (yardstick)",
    peer: "npm peer (yardstick)",
    ours_off: "ours, logs and traces off",
    ours: "ours, JSON logs (as deployed)",
    ours_traced: "ours, JSON logs + OTLP traces",
    ours_sampled: "ours, JSON logs + traces of 1 in 10",
    before_traced: "--before's build, JSON logs + OTLP traces",
  };
  // A variant run in several servers (`ours#1`, `ours#2`): latencies pooled, CPU figures averaged.
  const variants = [...new Set(targets.map((t) => variantOf(t.name)))];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows = variants.map((n) => {
    const names = targets.map((t) => t.name).filter((name) => variantOf(name) === n);
    const cpu = names.map((name) => tp[name]!.cpuPerShortReplyMs);
    return {
      name: n,
      processes: names.length,
      firstDelta1: p50(names.flatMap((name) => one[name]!.firstDelta)),
      firstDelta10: p50(names.flatMap((name) => ten[name]!.firstDelta)),
      cpuPerRequestMs: mean(cpu),
      cpuPerRequestRangeMs: [Math.min(...cpu), Math.max(...cpu)],
      cpuPerDeltaUs: mean(names.map((name) => tp[name]!.cpuPerDeltaUs)),
      deltasPerSec: p50(names.map((name) => tp[name]!.eventsPerSec)),
    };
  });
  const off = rows.find((r) => r.name === "ours_off")!;
  const pctOf = (v: number, base: number) => `${v >= base ? "+" : ""}${fmt(((v - base) / base) * 100, 1)} %`;
  console.log(
    `\nCost of logs and traces on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}; load average ${load0.map((l) => l.toFixed(1)).join(" ")} → ${load1.map((l) => l.toFixed(1)).join(" ")}; ${exportsReceived} OTLP exports received\n`,
  );
  const header = [
    "",
    "first delta p50, 1 stream (ms)",
    "10 streams (ms)",
    "CPU ms/request (20 deltas)",
    "range over servers",
    "vs off",
    "CPU µs/delta",
    "deltas/s p50",
  ];
  const body = rows.map((r) => [
    label[r.name] ?? r.name,
    fmt(r.firstDelta1),
    fmt(r.firstDelta10),
    fmt(r.cpuPerRequestMs, 2),
    r.processes > 1 ? `${fmt(r.cpuPerRequestRangeMs[0]!, 2)}–${fmt(r.cpuPerRequestRangeMs[1]!, 2)}` : "",
    r.name.startsWith("ours") || r.name.startsWith("before") ? pctOf(r.cpuPerRequestMs, off.cpuPerRequestMs) : "",
    fmt(r.cpuPerDeltaUs, 1),
    fmt(r.deltasPerSec, 0),
  ]);
  console.log(markdownTable(header, body));
  printInProcess(inProcess);
  mkdirSync(".data/bench", { recursive: true });
  writeFileSync(
    ".data/bench/observability.json",
    JSON.stringify({ at: new Date().toISOString(), exportsReceived, rows, inProcess }, null, 2),
  );
  console.log("written to .data/bench/observability.json");
}

/** The in-process figures: each traced server's CPU per request with recording paused and resumed. */
function printInProcess(inProcess: Awaited<ReturnType<typeof measureRecordingInProcess>>) {
  const pctOf = (v: number, base: number) => `${v >= base ? "+" : ""}${fmt(((v - base) / base) * 100, 1)} %`;
  const inProcessRows = Object.entries(inProcess).map(([name, r]) => [
    name,
    fmt(r.offMs, 2),
    fmt(r.onMs, 2),
    pctOf(r.onMs, r.offMs),
    pctOf(r.medianRatio, 1),
  ]);
  const inProcessHeader = [
    "server",
    "CPU ms/request, recording paused",
    "recording",
    "cost of recording (means)",
    "median of pairs",
  ];
  console.log(
    "Recording (spans and metrics) paused and resumed within each traced server, blocks of short replies:\n\n" +
      markdownTable(inProcessHeader, inProcessRows),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
