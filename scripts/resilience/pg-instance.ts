/**
 * A throwaway PostgreSQL 15 instance for the restart case, so the machine's shared cluster is
 * never touched: initdb in a temp dir owned by `postgres` (initdb refuses root), trust auth,
 * loopback only, on a free port. `destroy()` stops it and deletes the directory.
 */
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { freePort, run, sleep } from "@/e2e/support/app-server";

const BIN = "/usr/lib/postgresql/15/bin";

export type PgInstance = {
  port: number;
  url(database: string): string;
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
};

function asPostgres(args: string[]): string[] {
  return process.getuid?.() === 0 ? ["-u", "postgres", "--", ...args] : args;
}

async function pgRun(args: string[]) {
  const root = process.getuid?.() === 0;
  const res = await run(root ? "runuser" : args[0]!, root ? asPostgres(args) : args.slice(1));
  if (res.code !== 0) throw new Error(`${args.join(" ")} failed (${res.code}): ${res.out.slice(-1500)}`);
  return res.out;
}

export async function createPgInstance(): Promise<PgInstance> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "resilience-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const port = await freePort();
  await pgRun([`${BIN}/initdb`, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  const instance: PgInstance = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await pgRun([`${BIN}/pg_ctl`, "-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
    },
    async stop(mode = "fast") {
      await pgRun([`${BIN}/pg_ctl`, "-D", data, "-m", mode, "-w", "-t", "30", "stop"]);
    },
    async destroy() {
      await instance.stop("immediate").catch(() => undefined);
      await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
