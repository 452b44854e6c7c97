/**
 * The resilience suite (`npm run test:resilience`, also the last step of `npm test`): the
 * production build under hostile input, a database restart, two instances on one database,
 * and the model failing in every way, each a named pass/fail case.
 *
 *   npx tsx --conditions=react-server scripts/resilience.ts [--json .data/resilience.json] [--only fuzz,pg-restart,...]
 *                                 [--requests 10000] [--seed 20260101] [--concurrency 16]
 *                                 [--soak-turns 4000] [--soak-heap-mb 256]
 *
 * Needs `.next/` from `next build` and PostgreSQL at TEST_DATABASE_URL; starts its own app
 * servers, fakes, databases and (for the restart case) its own PostgreSQL instance.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { e2eServerEnv } from "@/e2e/support/e2e-env";
import { resetEnvCache } from "@/lib/env";
import { fuzzCase } from "./resilience/cases/fuzz";
import { modelFaultsCase } from "./resilience/cases/model-faults";
import { pgRestartCase } from "./resilience/cases/pg-restart";
import { soakCase } from "./resilience/cases/soak";
import { twoInstancesCase } from "./resilience/cases/two-instances";
import { CaseRecorder, startFakes, type CaseResult, type Fakes } from "./resilience/harness";
import { createDatabase } from "@/e2e/support/app-server";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const jsonOut = arg("json");
const only = arg("only")?.split(",");
const requests = Number(arg("requests") ?? 10_000);
const seed = Number(arg("seed") ?? 20_260_101);
const concurrency = Number(arg("concurrency") ?? 16);
const soakTurns = Number(arg("soak-turns") ?? 4000);
const soakHeapMb = Number(arg("soak-heap-mb") ?? 256);

// This process signs session cookies and reads the e2e config like the server does.
Object.assign(process.env, { ...e2eServerEnv(), NODE_ENV: "test" });
resetEnvCache();

type Case = {
  name: string;
  title: string;
  run: (rec: CaseRecorder, fakes: Fakes, databaseUrl: string) => Promise<void>;
  ownDatabase?: boolean;
};

const CASES: Case[] = [
  {
    name: "fuzz",
    title: `${requests} generated malformed/hostile requests: no 5xx, server up, JSON errors`,
    run: (rec, fakes, db) => fuzzCase(rec, fakes, db, { requests, concurrency, seed }),
  },
  {
    name: "pg-restart",
    title: "PostgreSQL stopped and restarted under load: 503s, then full recovery",
    run: pgRestartCase,
    ownDatabase: true,
  },
  { name: "two-instances", title: "two app instances on one database: one consistent state", run: twoInstancesCase },
  {
    name: "model-faults",
    title: "model fake failing in every fault mode: streams end, no leaked sockets",
    run: modelFaultsCase,
  },
  {
    name: "soak",
    title: `${soakTurns} streaming turns of every kind, heap capped at ${soakHeapMb} MB: no failed turn, no growth`,
    run: (rec, fakes, db) =>
      soakCase(rec, fakes, db, {
        turns: soakTurns,
        warmup: Math.min(600, soakTurns),
        others: Math.min(1000, soakTurns),
        heapMb: soakHeapMb,
        toleranceMb: 8,
      }),
  },
];

async function main(): Promise<number> {
  if (!existsSync(".next/BUILD_ID")) {
    console.error("resilience: no production build in .next/ (run `npx next build` first)");
    return finish([{ name: "build-present", ok: false, ms: 0, figures: {}, failures: ["no .next/BUILD_ID"] }]);
  }
  const results: CaseResult[] = [];
  const fakes = await startFakes();
  try {
    for (const c of CASES) {
      if (only && !only.includes(c.name)) continue;
      const rec = new CaseRecorder();
      const started = Date.now();
      console.log(`── resilience: ${c.name}: ${c.title}`);
      const db = c.ownDatabase
        ? { url: "", drop: async () => undefined }
        : await createDatabase(`resilience_${c.name.replace(/-/g, "_")}_${process.pid}`);
      try {
        await c.run(rec, fakes, db.url);
      } catch (err) {
        rec.failures.unshift(`case crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      } finally {
        await db.drop().catch((err: unknown) => console.warn(`could not drop ${db.url}: ${String(err)}`));
      }
      const result: CaseResult = {
        name: c.name,
        ok: rec.failures.length === 0,
        ms: Date.now() - started,
        figures: rec.figures,
        failures: rec.failures,
      };
      results.push(result);
      console.log(
        `${result.ok ? "pass" : "FAIL"} ${c.name} (${(result.ms / 1000).toFixed(1)} s) ${JSON.stringify(rec.figures)}`,
      );
      for (const f of rec.failures.slice(0, 30)) console.log(`   ✗ ${f}`);
      if (rec.failures.length > 30) console.log(`   … and ${rec.failures.length - 30} more`);
    }
  } finally {
    await fakes.close();
  }
  return finish(results);
}

function finish(results: CaseResult[]): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (jsonOut) {
    mkdirSync(path.dirname(jsonOut), { recursive: true });
    writeFileSync(jsonOut, JSON.stringify({ passed, failed, cases: results }, null, 2));
  }
  console.log(`resilience: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
