/**
 * Case 1: thousands of generated malformed and hostile requests across every endpoint →
 * no 5xx, the server stays up with /health 200, and every non-2xx answer (redirects aside)
 * is JSON with a `detail`. Requests fall in two groups: those the generator knows must be
 * refused (no credentials on a signed-in endpoint, a body over the limit, a body the endpoint's
 * own schema rejects, an unsigned or stale webhook) must never get a 2xx — that is a
 * failure; the others may get any answer but a 5xx. Every request's outcome is counted per group.
 */
import {
  call,
  chatkit,
  signInCookie,
  factIdOf,
  raw,
  signUp,
  threadIdOf,
  userInput,
  widgetItemIdOf,
  type Account,
} from "../client";
import { generate, type FuzzContext, type Generated } from "../generator";
import { appOptions, CaseRecorder, histogram, httpTo, isJsonError, pool, type Fakes, saveLog } from "../harness";
import { startApp, type AppServer } from "@/e2e/support/app-server";

export type FuzzOptions = { requests: number; concurrency: number; seed: number };

/** Two users with a thread, a pending fact, an attachment and a micro-agent to aim at. */
async function seed(app: AppServer, jwtSecret: string, webhookSecret: string): Promise<FuzzContext> {
  const a = await signUp(app.base, "fuzz-a");
  const b = await signUp(app.base, "fuzz-b");
  const factThread = async (account: Account) => {
    const answer = await chatkit(app.base, account, "threads.create", { input: userInput("My name is Kaz") });
    const thread = threadIdOf(answer.events);
    const fact = factIdOf(answer.events);
    const item = widgetItemIdOf(answer.events);
    if (!thread || !fact || !item)
      throw new Error(`fuzz seed: no fact card (${answer.status} ${answer.text.slice(0, 300)})`);
    return { thread, fact, item };
  };
  const ta = await factThread(a);
  const tb = await factThread(b);
  const att = await chatkit(app.base, a, "attachments.create", { name: "notes.txt", size: 5, mime_type: "text/plain" });
  const attachment = String(att.json?.id ?? "atc_missing");
  const sub = await call(app.base, "POST", "/api/microagents/subscribe", a, {
    agent_name: "Fuzz agent",
    workflow_id: "wf_inbox_triage",
    price_id: "price_inbox_triage_monthly",
  });
  const me = await call(app.base, "GET", "/api/auth/me", a);
  const created = String((me.json as { created_at?: string } | undefined)?.created_at ?? "");
  void created;
  const cookie = await signInCookie(app.base, a.email);
  return {
    tokenA: a.token,
    tokenB: b.token,
    sessionCookieA: cookie,
    threadA: ta.thread,
    threadB: tb.thread,
    itemA: ta.item,
    factA: ta.fact,
    factB: tb.fact,
    attachmentA: attachment,
    microAgentA: String(sub.json?.micro_agent_id ?? "00000000-0000-0000-0000-000000000000"),
    webhookSecret,
    jwtSecret,
  };
}

/**
 * Node refuses request headers over 16 KB before any route runs (our JSON 431): only the
 * requests generated for that purpose go over; the others are trimmed to stay under.
 */
function withinHeaderLimit(req: Generated): Generated {
  if (req.label === "giant-headers") return req;
  const size = () =>
    Object.entries(req.headers ?? {}).reduce((s, [k, v]) => s + k.length + String(v).length + 4, 0) + req.path.length;
  for (const key of ["x-giant", "cookie", "authorization"]) {
    if (size() <= 14_000) break;
    if (req.headers) delete req.headers[key];
  }
  return req;
}

type Verdict = "ok" | "redirect" | "not-implemented" | "outside-api" | "fail";

/** Failures grouped by what went wrong where, with the first few examples of each. */
class FailureGroups {
  readonly groups = new Map<string, { count: number; examples: string[] }>();
  add(key: string, example: string) {
    const g = this.groups.get(key) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(example);
    this.groups.set(key, g);
  }
}

function judge(
  fails: FailureGroups,
  req: Generated,
  status: number,
  contentType: string | undefined,
  body: string,
  error?: string,
): Verdict {
  const where = `${req.method} ${req.path.slice(0, 120)} [${req.label}]`;
  const fail = (what: string, example: string): Verdict => {
    fails.add(`${what} on ${req.endpoint}`, example);
    return "fail";
  };
  if (status === 0) return fail("no answer", `${where}: ${error}`);
  // Framework redirects (3xx) are not acceptance; a 2xx is.
  if (req.refuse && status >= 200 && status < 300)
    return fail(`${status} for input that must be refused (${req.refuse})`, `${where}: ${body.slice(0, 200)}`);
  // The ChatKit protocol's answer for optional features this server does not offer (dictation,
  // synchronous actions): a deliberate 501 JSON error, not a fault.
  if (status === 501 && isJsonError(contentType, body) && body.includes('"not_implemented"')) return "not-implemented";
  if (status >= 500) return fail(`${status}`, `${where}: ${body.slice(0, 300)}`);
  if (status >= 300 && status < 400) return "redirect"; // OAuth starts and next-auth flows
  // URL parsing resolves an encoded dot segment before the app sees it: the request lands on
  // some other path that is no endpoint at all, and Next's not-found page answers.
  if (status === 404 && /%2e%2e/i.test(req.path)) return "outside-api";
  if (status >= 400 && !isJsonError(contentType, body))
    return fail(
      `${status} without a JSON detail`,
      `${where} (${contentType ?? "no content-type"}): ${body.slice(0, 200)}`,
    );
  return "ok";
}

export async function fuzzCase(
  rec: CaseRecorder,
  fakes: Fakes,
  databaseUrl: string,
  options: FuzzOptions,
): Promise<void> {
  const jwtSecret = "e2e-secret-not-for-production-0123456789abcdef";
  const app = await startApp(appOptions(fakes, databaseUrl));
  fakes.setWebhookTarget(httpTo(() => app.base));
  try {
    const ctx = await seed(app, jwtSecret, fakes.webhookSecret);
    const statuses: number[] = [];
    const perEndpoint: Record<string, number> = {};
    const byLabel: Record<string, number> = {};
    const fails = new FailureGroups();
    const verdicts: Record<string, number> = {};
    // Every answer, by group: must-refuse (by reason) and open, then by status class.
    const outcomes: Record<string, Record<string, number>> = {};
    let healthChecks = 0;
    let unhealthy = 0;
    const started = Date.now();
    await pool(options.requests, options.concurrency, async (i) => {
      const req = withinHeaderLimit(generate(options.seed, i, ctx));
      const res = await raw(app.base, req);
      statuses.push(res.status);
      perEndpoint[req.endpoint] = (perEndpoint[req.endpoint] ?? 0) + 1;
      byLabel[req.label.split("+")[0]!] = (byLabel[req.label.split("+")[0]!] ?? 0) + 1;
      const ct = res.headers["content-type"];
      const verdict = judge(
        fails,
        { ...req, label: `${req.label} #${i}` },
        res.status,
        ct,
        res.body.toString("utf8"),
        res.error,
      );
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
      const group = req.refuse ? `refuse: ${req.refuse}` : "open";
      const cls = res.status === 0 ? "no answer" : `${Math.floor(res.status / 100)}xx`;
      const row = (outcomes[group] ??= {});
      row[cls] = (row[cls] ?? 0) + 1;
      if (i % 500 === 499) {
        healthChecks++;
        const h = await raw(app.base, { method: "GET", path: "/health" });
        if (h.status !== 200) unhealthy++;
        if (i % 2000 === 1999) fakes.openai.clearRequests();
      }
    });
    const final = await raw(app.base, { method: "GET", path: "/health" });
    rec.check(!app.exited(), "the app process exited during the run");
    rec.check(final.status === 200, `final /health answered ${final.status}`);
    rec.check(unhealthy === 0, `${unhealthy} of ${healthChecks} interleaved /health checks were not 200`);
    for (const [key, g] of fails.groups) rec.fail(`${g.count}× ${key}: ${g.examples.join(" | ")}`);
    const fiveXX = statuses.filter((s) => (s >= 500 && s !== 501) || s === 0).length;
    Object.assign(rec.figures, {
      seed: options.seed,
      requests: statuses.length,
      concurrency: options.concurrency,
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      statuses: histogram(statuses),
      fiveXXOrNoAnswer: fiveXX,
      verdicts,
      byKind: byLabel,
      endpoints: Object.keys(perEndpoint).length,
      perEndpoint,
      healthChecks,
      serverErrorsLogged: app.log.filter((l) => l.includes("[http] unhandled error")).length,
    });
    rec.check(statuses.length >= 10_000 || options.requests < 10_000, `only ${statuses.length} requests were sent`);
    const mustRefuse = Object.entries(outcomes)
      .filter(([group]) => group.startsWith("refuse"))
      .reduce((n, [, row]) => n + Object.values(row).reduce((a, b) => a + b, 0), 0);
    const accounted = Object.values(outcomes).reduce((n, row) => n + Object.values(row).reduce((a, b) => a + b, 0), 0);
    rec.check(accounted === statuses.length, `${statuses.length - accounted} answers were not accounted for`);
    // The oracle must have teeth: a generator change that leaves nothing to refuse fails here.
    rec.check(
      mustRefuse >= statuses.length / 5,
      `only ${mustRefuse} of ${statuses.length} requests were known hostile; the generator lost its teeth`,
    );
    Object.assign(rec.figures, { mustRefuse, outcomes });
  } finally {
    fakes.setWebhookTarget(undefined);
    await app.stop();
    saveLog("fuzz", app);
  }
}
