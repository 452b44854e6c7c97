/**
 * `npm run e2e:preview -- --model none|stand-in [--seed S] [playwright args…]`: the Playwright
 * run of `.github/workflows/e2e-preview.yml`, reproduced on this machine. It builds if there is
 * no build yet, starts `next start` on its own database with a preview's configuration (no
 * local fakes of Stripe or the sign-in providers, per-user limits on, the test allowance set),
 * then runs `playwright test` with E2E_BASE_URL and TEST_ALLOWANCE_SECRET as the workflow sets
 * them, and tears everything down. The model:
 *
 *   none      no OPENAI_API_KEY: a preview whose assistant is not configured;
 *   stand-in  OPENAI_BASE_URL points at the OpenAI fake in its phrasing mode
 *             (e2e/fakes/openai/phrasing.ts): it words replies and facts its own way, from a
 *             new seed each run (printed; pass --seed to repeat one), and sometimes answers a
 *             fact without calling the tool, like a real model.
 *
 * Ports: E2E_PORT (default 3210) for the app, a free one for the stand-in. Database:
 * E2E_DATABASE with "_preview" appended (default test_e2e_preview), recreated on every run.
 * Exits with Playwright's status.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dropDatabase, recreateDatabase } from "../e2e/support/admin-db";
import { E2E_DATABASE, E2E_PORT } from "../e2e/support/e2e-env";
import { TEST_DATABASE_URL, withDatabase } from "../e2e/support/test-database-url";
import { start, type FakeOpenAI } from "../e2e/fakes/openai/server";

/** `--model` and `--seed` are ours; every other argument goes to `playwright test` as given. */
function takeOption(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  return args.splice(at, 2)[1];
}
const playwrightArgs = process.argv.slice(2);
const model = takeOption(playwrightArgs, "--model");
const seedArg = takeOption(playwrightArgs, "--seed");
if (model !== "none" && model !== "stand-in") {
  console.error("usage: npm run e2e:preview -- --model none|stand-in [--seed S] [playwright args…]");
  process.exit(2);
}

const base = `http://127.0.0.1:${E2E_PORT}`;
const database = `${E2E_DATABASE}_preview`;
const databaseUrl = withDatabase(TEST_DATABASE_URL, database);
/** Shared by the server and the run, as the Preview environment and the repository secret are. */
const allowance = `preview-allowance-${randomBytes(8).toString("hex")}`;
const seed = seedArg ?? randomBytes(4).toString("hex");

/** What a preview deployment is given: the app's own settings, and a model or none. */
function serverEnv(standIn: FakeOpenAI | undefined): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: "preview-secret-not-for-production-0123456789abcdef",
    APP_BASE_URL: base,
    NEXTAUTH_URL: base,
    BCRYPT_COST: "4",
    TEST_ALLOWANCE_SECRET: allowance,
    ...(standIn ? { OPENAI_API_KEY: "sk-stand-in", OPENAI_BASE_URL: standIn.baseURL } : {}),
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, { env, stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function waitForHealth(server: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${base}/health did not answer 200 within two minutes`);
}

/** Counts from Playwright's JSON report (playwright.config.ts writes it). */
function counts(): string {
  if (!existsSync(".data/playwright.json")) return "no report";
  const { stats } = JSON.parse(readFileSync(".data/playwright.json", "utf8")) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  };
  return `${stats.expected} passed, ${stats.unexpected} failed, ${stats.skipped} skipped, ${stats.flaky} flaky`;
}

/** What the run asked of the model: calls and the characters sent (about four to a token). */
function spend(fake: FakeOpenAI): string {
  const calls = fake.requests("/responses");
  const sent = calls.reduce((sum, r) => sum + JSON.stringify(r.body).length, 0);
  return `${calls.length} model calls, ${sent} characters of request bodies (≈${Math.round(sent / 4)} input tokens)`;
}

const node = process.execPath;
if (!existsSync(".next/BUILD_ID")) {
  console.log("[e2e:preview] no build yet: next build");
  const built = await run(node, ["node_modules/next/dist/bin/next", "build"], {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  if (built !== 0) process.exit(built);
}

await recreateDatabase(database);
let standIn: FakeOpenAI | undefined;
let server: ChildProcess | undefined;
let status = 1;
// Ctrl-C or a kill still stops the server it started and drops its database.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server?.kill("SIGTERM");
    void Promise.allSettled([standIn?.close(), dropDatabase(database)]).then(() => process.exit(130));
  });
}
try {
  if (model === "stand-in") {
    // A free port, not the local fake's: tests that drive the scripted fake cannot reach it, as on a preview.
    standIn = await start(0, { phrasing: seed });
    console.log(
      `[e2e:preview] model stand-in on ${standIn.baseURL}, phrasing seed ${seed} (--seed ${seed} repeats it)`,
    );
  } else {
    console.log("[e2e:preview] no model: OPENAI_API_KEY unset");
  }
  const env = serverEnv(standIn);
  const migrated = await run(
    node,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "db/migrate-cli.ts"],
    env,
  );
  if (migrated !== 0) throw new Error("migrations failed");
  server = spawn(node, ["node_modules/next/dist/bin/next", "start", "-p", String(E2E_PORT)], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForHealth(server);
  console.log(`[e2e:preview] next start on ${base}, database ${database}`);

  // Exactly the workflow's step: `npx playwright test` with these two variables (no bypass secret here).
  status = await run(node, ["node_modules/@playwright/test/cli.js", "test", ...playwrightArgs], {
    ...process.env,
    E2E_BASE_URL: base,
    TEST_ALLOWANCE_SECRET: allowance,
  });
  console.log(`[e2e:preview] model ${model}: ${counts()}`);
  if (standIn) console.log(`[e2e:preview] the stand-in answered ${spend(standIn)}`);
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  }
  await standIn?.close();
  await dropDatabase(database);
}
process.exit(status);
