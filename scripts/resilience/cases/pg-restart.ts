/**
 * Case 2: the app's own PostgreSQL is stopped under load and started again. While it is down
 * every answer is a 503 JSON (health too), never a 500 or a dropped connection; afterwards the
 * app recovers by itself, and what the client retried (idempotent fact saves, webhook
 * redelivery by event id) lands exactly once.
 *
 * To pass it must also do the work: a minimum of completed turns (some after the last
 * restart) and saves; every answer is accounted for against what its phase allows (200
 * before the outage; 200 or a 503 JSON during and after it — any other status, a 4xx
 * included, fails); a 200 turn must end with a fact card or an `error` event; and nothing the
 * client still owes (a save, a webhook delivery) may be left after the drain.
 */
import pg from "pg";
import type { SseEvent } from "@/e2e/support/sse";
import { HANDLED_EVENT_TYPES } from "@/lib/billing/webhook-events";
import { call, factIdOf, raw, signUp, threadIdOf, userInput, type Account } from "../client";
import { appOptions, CaseRecorder, histogram, httpTo, isJsonError, type Fakes, saveLog } from "../harness";
import { createPgInstance } from "../pg-instance";
import { createDatabase, sleep, startApp, type AppServer } from "@/e2e/support/app-server";

type Phase = "before" | "down" | "after";
type Kind = "chat turn" | "fact save" | "webhook" | "GET /facts";

/** Least work a run must have done for its loss checks to mean anything. */
const MIN_COMPLETED_TURNS = 8;
const MIN_TURNS_AFTER_LAST_RESTART = 2;
const MIN_FACTS_SAVED = 8;

const isErrorEnd = (events: SseEvent[] | undefined) => events?.some((e) => e.type === "error") ?? false;

export async function pgRestartCase(rec: CaseRecorder, fakes: Fakes): Promise<void> {
  const instance = await createPgInstance();
  let app: AppServer | undefined;
  try {
    const db = await createDatabase("app", instance.url("postgres"));
    app = await startApp(appOptions(fakes, db.url));
    const base = app.base;
    fakes.stripe.setAutoDeliver(false);
    fakes.setWebhookTarget(httpTo(() => base));
    const users: Account[] = [];
    for (let i = 0; i < 4; i++) users.push(await signUp(base, `pgr${i}`));

    // Micro-agents whose checkout completes on the Stripe side; the app hears of it only
    // through the webhooks we deliver (and redeliver) by hand during the run.
    const pendingEvents: { id: string; event: Parameters<typeof fakes.stripe.deliver>[0] }[] = [];
    const agentIds: string[] = [];
    for (const u of users) {
      const sub = await call(base, "POST", "/api/microagents/subscribe", u, {
        agent_name: "Restart",
        workflow_id: "wf_inbox_triage",
        price_id: "price_inbox_triage_monthly",
      });
      if (!rec.check(sub.status === 201, `subscribe answered ${sub.status}: ${sub.text.slice(0, 200)}`)) continue;
      agentIds.push(String(sub.json!.micro_agent_id));
      const sessionId = String(sub.json!.checkout_url).split("/").pop()!;
      for (const event of fakes.stripe.completeCheckout(sessionId).events)
        pendingEvents.push({ id: event.id as string, event });
    }

    const byPhase: Record<Phase, number[]> = { before: [], down: [], after: [] };
    let phase: Phase = "before";
    let restarts = 0;
    // Every answer, by kind and phase; the unexpected ones, by kind, phase and status, with an example.
    const outcomes: Record<string, Record<string, number>> = {};
    const unexpected = new Map<string, { count: number; example: string }>();
    let turnsAfterLastRestart = 0;
    let turnsWithoutEnding = 0;
    const turnFacts = new Map<string, string>(); // thread id → fact id from a turn that finished
    const interruptedTurns = { count: 0 };
    const toSave = new Map<string, Set<string>>(users.map((u) => [u.userId, new Set<string>()]));
    const owed = () => [...toSave.values()].reduce((n, s) => n + s.size, 0);
    const saved = new Set<string>();
    const delivered = new Set<string>();
    let deliveries = 0;
    let retries = 0;

    const note = (kind: Kind, status: number, contentType: string | undefined, body: string, what: string = kind) => {
      byPhase[phase].push(status);
      const key = `${kind} ${phase}`;
      const row = (outcomes[key] ??= {});
      const unavailable = status === 503 && isJsonError(contentType, body);
      row[unavailable ? "503 json" : String(status)] = (row[unavailable ? "503 json" : String(status)] ?? 0) + 1;
      // Before the outage only success is right; from the first stop on, a 503 JSON is too.
      const allowed = status === 200 || (phase !== "before" && unavailable);
      if (allowed) return;
      const u = unexpected.get(`${key} ${status}`) ?? { count: 0, example: `${what}: ${body.slice(0, 200)}` };
      u.count++;
      unexpected.set(`${key} ${status}`, u);
    };

    const chatTurn = async (u: Account, n: number) => {
      const res = await fetch(`${base}/chatkit`, {
        method: "POST",
        headers: { "content-type": "application/json", ...u.auth },
        body: JSON.stringify({ type: "threads.create", params: { input: userInput(`My name is Kaz${n}`) } }),
        signal: AbortSignal.timeout(20_000),
      }).catch((err: unknown) => ({ status: 0, text: String(err) }) as const);
      if (res.status === 0) return note("chat turn", 0, undefined, (res as { text: string }).text);
      const r = res as Response;
      const text = await r.text().catch((err: unknown) => `body cut: ${String(err)}`);
      note("chat turn", r.status, r.headers.get("content-type") ?? undefined, text);
      if (r.status !== 200) return;
      const events = text
        .split("\n\n")
        .filter((f) => f.startsWith("data: "))
        .map((f) => JSON.parse(f.slice(6)) as SseEvent);
      const thread = threadIdOf(events);
      const fact = factIdOf(events);
      if (isErrorEnd(events)) {
        interruptedTurns.count++;
        rec.check(
          (events.find((e) => e.type === "error") as { allow_retry?: boolean }).allow_retry === true,
          "an interrupted turn's error event does not allow retry",
        );
      } else if (thread && fact) {
        turnFacts.set(thread, fact);
        toSave.get(u.userId)!.add(fact);
        if (restarts === 2) turnsAfterLastRestart++;
      } else {
        turnsWithoutEnding++;
        rec.fail(`${phase}: a 200 turn ended with neither a fact card nor an error event: ${text.slice(-300)}`);
      }
    };

    const saveFacts = async (u: Account) => {
      const mine = toSave.get(u.userId)!;
      for (const fact of [...mine].slice(0, 3)) {
        const res = await raw(base, { method: "POST", path: `/facts/${fact}/save`, headers: u.auth });
        note("fact save", res.status, res.headers["content-type"], res.body.toString());
        if (res.status === 200) {
          mine.delete(fact);
          saved.add(fact);
        } else retries++;
      }
    };

    const deliverSome = async () => {
      const next =
        pendingEvents.find((p) => !delivered.has(p.id)) ??
        pendingEvents[deliveries % Math.max(1, pendingEvents.length)];
      if (!next) return;
      deliveries++;
      const d = await fakes.stripe.deliver(next.event);
      note(
        "webhook",
        d.status,
        d.status === 503 ? "application/json" : undefined,
        d.body,
        `webhook ${next.event.type}`,
      );
      if (d.status >= 200 && d.status < 300) delivered.add(next.id);
      else retries++;
    };

    const healthDuring: number[] = [];
    let running = true;
    const worker = async (w: number) => {
      let n = w * 10_000;
      while (running) {
        const u = users[w % users.length]!;
        const step = n++ % 4;
        if (step === 0) await chatTurn(u, n);
        else if (step === 1) await saveFacts(u);
        else if (step === 2) await deliverSome();
        else {
          const res = await raw(base, { method: "GET", path: "/facts", headers: u.auth });
          note("GET /facts", res.status, res.headers["content-type"], res.body.toString());
        }
        if (phase === "down") await sleep(50);
      }
    };
    const started = Date.now();
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await sleep(4000);

    // Two outages: a fast shutdown (clients told to go), then an immediate one (a crash).
    const outages: { mode: string; downMs: number; recoveredMs: number }[] = [];
    for (const mode of ["fast", "immediate"] as const) {
      phase = "down";
      const stopAt = Date.now();
      await instance.stop(mode);
      const downFor = Date.now() + 4000;
      while (Date.now() < downFor) {
        const h = await raw(base, { method: "GET", path: "/health" }, 10_000);
        healthDuring.push(h.status);
        rec.check(
          h.status === 503 && h.body.toString().includes("unhealthy"),
          `health while down (${mode}) answered ${h.status}: ${h.body.toString().slice(0, 200)}`,
        );
        await sleep(500);
      }
      await instance.start();
      phase = "after";
      restarts++;
      const restartedAt = Date.now();
      let recoveredMs = -1;
      while (Date.now() - restartedAt < 30_000) {
        const h = await raw(base, { method: "GET", path: "/health" });
        if (h.status === 200) {
          recoveredMs = Date.now() - restartedAt;
          break;
        }
        await sleep(100);
      }
      rec.check(recoveredMs >= 0, `health did not return to 200 within 30 s of the restart after a ${mode} stop`);
      outages.push({ mode, downMs: restartedAt - stopAt, recoveredMs });
      await sleep(3000);
    }
    running = false;
    await Promise.all(workers);

    // Drain: everything the client still owes is retried until it lands (bounded).
    const drainUntil = Date.now() + 20_000;
    while ((owed() > 0 || delivered.size < pendingEvents.length) && Date.now() < drainUntil) {
      for (const u of users) await saveFacts(u);
      await deliverSome();
    }
    // Nothing may still be owed once the database is back: every save and delivery landed.
    rec.check(owed() === 0, `facts still owed a save after the drain: ${owed()}`);
    rec.check(
      delivered.size === pendingEvents.length,
      `webhook events never accepted after the drain: ${pendingEvents.length - delivered.size} of ${pendingEvents.length}`,
    );
    // Redeliver every event once more: the ledger must make these no-ops.
    for (const p of pendingEvents) {
      const d = await fakes.stripe.deliver(p.event);
      rec.check(d.status === 200, `redelivery of ${p.id} answered ${d.status}`);
    }
    rec.check(!app.exited(), "the app process exited");

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const dupFacts = await client.query(
        "select thread_id, count(*)::int n from facts where thread_id is not null group by thread_id having count(*) > 1",
      );
      rec.check(
        dupFacts.rowCount === 0,
        `threads with more than one fact from one turn: ${JSON.stringify(dupFacts.rows)}`,
      );
      const ids = [...turnFacts.values()];
      const found = await client.query("select id, status from facts where id = any($1)", [ids]);
      rec.check(
        found.rowCount === ids.length,
        `facts of completed turns lost: ${ids.length - (found.rowCount ?? 0)} of ${ids.length}`,
      );
      const notSaved = found.rows.filter(
        (r: { id: string; status: string }) => saved.has(r.id) && r.status !== "saved",
      );
      rec.check(notSaved.length === 0, `facts acknowledged as saved but not saved: ${notSaved.length}`);
      // The ledger records the event types the app acts on (others are acknowledged and ignored).
      const handled = pendingEvents.filter((p) => (HANDLED_EVENT_TYPES as readonly string[]).includes(p.event.type));
      const ledger = await client.query("select id from stripe_events where id = any($1)", [handled.map((p) => p.id)]);
      rec.check(
        ledger.rowCount === handled.length,
        `ledger has ${ledger.rowCount} of ${handled.length} handled events`,
      );
      const dupMessages = await client.query(
        "select thread_id from chatkit_items where type = 'user_message' group by thread_id having count(*) > 1",
      );
      rec.check(dupMessages.rowCount === 0, `threads with a duplicated user message: ${dupMessages.rowCount}`);
      const agents = await client.query(
        "select status, stripe_subscription_id from micro_agents where id = any($1::uuid[])",
        [agentIds],
      );
      const active = agents.rows.filter(
        (r: { status: string; stripe_subscription_id: string | null }) =>
          r.status === "active" && r.stripe_subscription_id,
      );
      rec.check(
        active.length === agentIds.length,
        `micro-agents active after all webhooks: ${active.length} of ${agentIds.length}`,
      );
      rec.check(
        ids.length >= MIN_COMPLETED_TURNS,
        `only ${ids.length} turns completed with a fact (at least ${MIN_COMPLETED_TURNS} needed for the loss checks to mean anything)`,
      );
      rec.check(
        turnsAfterLastRestart >= MIN_TURNS_AFTER_LAST_RESTART,
        `only ${turnsAfterLastRestart} turns completed after the last restart (at least ${MIN_TURNS_AFTER_LAST_RESTART})`,
      );
      rec.check(saved.size >= MIN_FACTS_SAVED, `only ${saved.size} facts were saved (at least ${MIN_FACTS_SAVED})`);
      rec.check(pendingEvents.length > 0, "no webhook events were produced to deliver");
      for (const [key, u] of unexpected) rec.fail(`${u.count}× ${key} not allowed in that phase, e.g. ${u.example}`);
      const userItems = await client.query("select count(*)::int n from chatkit_items where type = 'user_message'");
      const threads = await client.query("select count(*)::int n from chatkit_threads");
      Object.assign(rec.figures, {
        seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
        outages,
        statusesBefore: histogram(byPhase.before),
        statusesWhileDown: histogram(byPhase.down),
        statusesAfterRestarts: histogram(byPhase.after),
        healthWhileDown: histogram(healthDuring),
        completedFactTurns: ids.length,
        interruptedTurns: interruptedTurns.count,
        factsSaved: saved.size,
        webhookEvents: pendingEvents.length,
        handledWebhookEvents: handled.length,
        webhookDeliveries: deliveries + pendingEvents.length,
        ledgerRows: ledger.rowCount,
        clientRetries: retries,
        turnsAfterLastRestart,
        turnsWithoutEnding,
        outcomes,
        threads: threads.rows[0].n,
        userMessageItems: userItems.rows[0].n,
      });
      rec.check(
        byPhase.down.some((s) => s === 503),
        "no request saw a 503 while the database was down",
      );
    } finally {
      await client.end();
    }
  } finally {
    fakes.stripe.setAutoDeliver(true);
    fakes.setWebhookTarget(undefined);
    if (app) {
      await app.stop();
      saveLog("pg-restart", app);
    }
    await instance.destroy();
  }
}
