/**
 * Case 4: the model fake failing in each fault mode, many turns at once. Every stream must
 * end with an `error` event that allows retry, the server must stay healthy, and its open
 * connections to the model and to PostgreSQL must come back to their baseline.
 */
import { chatkit, signUp, userInput, type Account } from "../client";
import { appOptions, CaseRecorder, type Fakes, saveLog } from "../harness";
import { sleep, startApp, type AppServer } from "@/e2e/support/app-server";
import { connectionsTo } from "../sockets";

const FAULTS = ["cut", "http500", "malformed", "failed", "error", "stall", "hang"] as const;
const PER_FAULT = 4;
const POOL_MAX = 10;
/** Idle pool clients close this soon: once the turns are over, every client must have been given back and closed. */
const POOL_IDLE_MS = 1000;

type Counts = { model: number; postgres: number };

function counts(app: AppServer, modelPort: number, pgPort: number): Counts {
  return { model: connectionsTo(app.pid, modelPort), postgres: connectionsTo(app.pid, pgPort) };
}

async function settle(
  app: AppServer,
  modelPort: number,
  pgPort: number,
  target: Counts,
  withinMs: number,
): Promise<Counts> {
  const until = Date.now() + withinMs;
  let now = counts(app, modelPort, pgPort);
  while (Date.now() < until && (now.model > target.model || now.postgres > target.postgres)) {
    await sleep(250);
    now = counts(app, modelPort, pgPort);
  }
  return now;
}

async function turn(rec: CaseRecorder, app: AppServer, u: Account, fault: string) {
  const started = Date.now();
  const answer = await chatkit(
    app.base,
    u,
    "threads.create",
    { input: userInput(`[fault:${fault}] tell me something`) },
    60_000,
  ).catch((err: unknown) => ({ status: 0, text: String(err), events: undefined }));
  const ms = Date.now() - started;
  const error = answer.events?.find((e) => e.type === "error") as
    { allow_retry?: boolean; message?: string } | undefined;
  const ended = answer.status === 200 && !!answer.events;
  rec.check(ended, `[fault:${fault}] stream did not end cleanly: ${answer.status} ${answer.text.slice(0, 200)}`);
  rec.check(
    !!error,
    `[fault:${fault}] stream ended without an error event: ${answer.events?.map((e) => e.type).join(",")}`,
  );
  rec.check(error?.allow_retry === true, `[fault:${fault}] error event does not allow retry: ${JSON.stringify(error)}`);
  return ms;
}

/** Every fault mode PER_FAULT times, all at once; each turn's duration goes to `durations`. */
async function faultRound(rec: CaseRecorder, app: AppServer, users: Account[], durations: Record<string, number[]>) {
  await Promise.all(
    FAULTS.flatMap((fault) =>
      Array.from({ length: PER_FAULT }, async (_, i) => {
        const ms = await turn(rec, app, users[i % users.length]!, fault);
        (durations[fault] ??= []).push(ms);
      }),
    ),
  );
}

export async function modelFaultsCase(rec: CaseRecorder, fakes: Fakes, databaseUrl: string): Promise<void> {
  const app = await startApp(
    appOptions(fakes, databaseUrl, {
      OPENAI_TIMEOUT_MS: "2000",
      OPENAI_STREAM_IDLE_MS: "1000",
      DATABASE_POOL_MAX: String(POOL_MAX),
      DATABASE_POOL_IDLE_MS: String(POOL_IDLE_MS),
    }),
  );
  const modelPort = fakes.openai.port;
  const pgPort = Number(new URL(databaseUrl).port || 5432);
  try {
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => signUp(app.base, `fault${i}`)));
    // Warm up with as many good turns at once as the fault round runs, so the model client's
    // keep-alive sockets reach their working size before the baseline.
    await Promise.all(
      Array.from({ length: FAULTS.length * PER_FAULT }, (_, i) =>
        chatkit(app.base, users[i % users.length]!, "threads.create", { input: userInput("[deltas:2] hello") }),
      ),
    );
    await sleep(500);
    const baseline = counts(app, modelPort, pgPort);
    const started = Date.now();
    const durations: Record<string, number[]> = {};
    const peak: Counts = { model: 0, postgres: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const c = counts(app, modelPort, pgPort);
        peak.model = Math.max(peak.model, c.model);
        peak.postgres = Math.max(peak.postgres, c.postgres);
        await sleep(200);
      }
    })();
    await faultRound(rec, app, users, durations);
    sampling = false;
    await sampler;
    const faultSeconds = (Date.now() - started) / 1000;
    // Keep-alive model sockets may linger a while, and idle pool clients close after
    // POOL_IDLE_MS; a leaked client is never given back to the pool, so its socket never closes.
    const after = await settle(app, modelPort, pgPort, { model: baseline.model, postgres: 0 }, 20_000);
    rec.check(
      after.model <= baseline.model,
      `sockets to the model: ${after.model} after, ${baseline.model} at baseline`,
    );
    rec.check(after.postgres === 0, `sockets to Postgres: ${after.postgres} still open once every turn is over`);
    rec.check(
      peak.postgres <= POOL_MAX,
      `sockets to Postgres peaked at ${peak.postgres}, above the pool's ${POOL_MAX}`,
    );
    const health = await fetch(`${app.base}/health`);
    rec.check(health.status === 200, `health after the faults: ${health.status}`);
    const good = await chatkit(app.base, users[0]!, "threads.create", { input: userInput("[deltas:2] still there?") });
    rec.check(
      good.status === 200 && !good.events?.some((e) => e.type === "error"),
      "a normal turn after the faults failed",
    );
    rec.check(!app.exited(), "the app process exited");
    Object.assign(rec.figures, {
      faults: FAULTS,
      turns: FAULTS.length * PER_FAULT,
      concurrentTurns: FAULTS.length * PER_FAULT,
      seconds: Number(faultSeconds.toFixed(1)),
      slowestMsByFault: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, Math.max(...v)])),
      socketsBaseline: baseline,
      socketsPeak: peak,
      socketsAfter: after,
    });
  } finally {
    await app.stop();
    saveLog("model-faults", app);
  }
}
