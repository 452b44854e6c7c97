/**
 * Production servers for tests that need one of their own (the resilience suite, and specs that
 * start a second `next start` with other settings): free ports, databases, commands, servers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { migrateServer } from "@/db/migrate";
import { dropDatabase, recreateDatabase } from "@/e2e/support/admin-db";
import { e2eServerEnv } from "@/e2e/support/e2e-env";
import { TEST_DATABASE_URL, withDatabase } from "@/e2e/support/test-database-url";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, migrated database on the test cluster (or the server at `adminUrl`); `drop()` removes it. */
export async function createDatabase(name: string, adminUrl = TEST_DATABASE_URL) {
  await recreateDatabase(name, adminUrl);
  const url = withDatabase(adminUrl, name);
  await migrateServer(url, "pg");
  return { url, drop: () => dropDatabase(name, adminUrl) };
}

export type AppServer = {
  port: number;
  base: string;
  pid: number;
  child: ChildProcess;
  /** Output lines (both streams), newest last; bounded. */
  log: string[];
  exited: () => boolean;
  stop(): Promise<void>;
};

export type AppOptions = {
  databaseUrl: string;
  openaiBaseUrl: string;
  stripeUrl: string;
  oidcUrl?: string;
  webhookSecret: string;
  env?: Record<string, string>;
};

/** `next start` of the production build on a free port, with the e2e env pointed at our fakes. */
export async function startApp(options: AppOptions): Promise<AppServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const oidc = options.oidcUrl ?? "http://127.0.0.1:9";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...e2eServerEnv(),
    DATABASE_URL: options.databaseUrl,
    APP_BASE_URL: base,
    NEXTAUTH_URL: base,
    OPENAI_BASE_URL: options.openaiBaseUrl,
    STRIPE_API_BASE_URL: options.stripeUrl,
    STRIPE_WEBHOOK_SECRET: options.webhookSecret,
    STRIPE_CHECKOUT_SUCCESS_URL: `${base}/dashboard/success?session_id={CHECKOUT_SESSION_ID}`,
    STRIPE_CHECKOUT_CANCEL_URL: `${base}/dashboard/cancelled`,
    GOOGLE_ISSUER: `${oidc}/google`,
    APPLE_ISSUER: `${oidc}/apple`,
    ...options.env,
  };
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log.push(line);
    if (log.length > 20_000) log.splice(0, log.length - 20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const server: AppServer = {
    port,
    base,
    pid: child.pid!,
    child,
    log,
    exited: () => exited,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`app server exited during start:\n${log.slice(-30).join("\n")}`);
    try {
      const res = await fetch(`${base}/health`);
      await res.text();
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  await server.stop();
  throw new Error(`app server on ${port} not healthy within 60 s:\n${log.slice(-30).join("\n")}`);
}

/** Runs a command to completion, resolving with its exit code and output. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", (err) => resolve({ code: -1, out: out + String(err) }));
    child.on("exit", (code) => resolve({ code: code ?? -1, out }));
  });
}
