/**
 * Case 3: two app instances on different ports sharing one database behave as one: a
 * conversation alternating between them, the same fact saved and discarded from both at
 * once, and webhook (re)deliveries split across them.
 */
import pg from "pg";
import { FACT_DISCARDED_LABEL, FACT_SAVED_LABEL } from "@/lib/assistant/constants";
import { HANDLED_EVENT_TYPES } from "@/lib/billing/webhook-events";
import { call, chatkit, factIdOf, signUp, threadIdOf, userInput, widgetItemIdOf, type Account } from "../client";
import { appOptions, CaseRecorder, httpTo, type Fakes, saveLog } from "../harness";
import { startApp, type AppServer } from "@/e2e/support/app-server";

type Item = { id: string; type: string; widget?: unknown };

async function conversation(rec: CaseRecorder, a: AppServer, b: AppServer, u: Account) {
  const created = await chatkit(a.base, u, "threads.create", { input: userInput("[deltas:3] first on A") });
  const thread = threadIdOf(created.events);
  if (!rec.check(!!thread, `threads.create on A gave no thread (${created.status})`)) return;
  const second = await chatkit(b.base, u, "threads.add_user_message", {
    thread_id: thread,
    input: userInput("[deltas:2] second on B"),
  });
  rec.check(
    second.status === 200 && !second.events?.some((e) => e.type === "error"),
    `add_user_message on B: ${second.status} ${second.text.slice(0, 200)}`,
  );
  const listA = await chatkit(a.base, u, "items.list", { thread_id: thread, order: "asc", limit: 50 });
  const itemsA = (listA.json?.data ?? []) as Item[];
  const kinds = itemsA.map((i) => i.type).filter((t) => t === "user_message" || t === "assistant_message");
  rec.check(
    JSON.stringify(kinds) ===
      JSON.stringify(["user_message", "assistant_message", "user_message", "assistant_message"]),
    `items.list on A after a turn on B: ${JSON.stringify(kinds)}`,
  );
  const renamed = await chatkit(a.base, u, "threads.update", { thread_id: thread, title: "Across instances" });
  rec.check(renamed.status === 200, `threads.update on A: ${renamed.status}`);
  const seen = await chatkit(b.base, u, "threads.get_by_id", { thread_id: thread });
  rec.check(seen.json?.title === "Across instances", `title seen on B: ${JSON.stringify(seen.json?.title)}`);
  const third = await chatkit(a.base, u, "threads.add_user_message", {
    thread_id: thread,
    input: userInput("[deltas:2] third on A"),
  });
  rec.check(third.status === 200, `add_user_message on A: ${third.status}`);
  const listB = await chatkit(b.base, u, "items.list", { thread_id: thread, order: "asc", limit: 50 });
  const users = ((listB.json?.data ?? []) as Item[]).filter((i) => i.type === "user_message").length;
  rec.check(users === 3, `items.list on B: ${users} user messages, expected 3`);
  return itemsA.length;
}

/** The same fact saved on one instance and discarded on the other at the same moment. */
async function factRace(rec: CaseRecorder, a: AppServer, b: AppServer, u: Account, n: number, dbUrl: string) {
  const races: { fact: string; thread: string; item: string }[] = [];
  for (let i = 0; i < n; i++) {
    const turn = await chatkit(i % 2 ? b.base : a.base, u, "threads.create", {
      input: userInput(`My name is Racer${i}`),
    });
    const fact = factIdOf(turn.events);
    const thread = threadIdOf(turn.events);
    const item = widgetItemIdOf(turn.events);
    if (rec.check(!!fact && !!thread && !!item, `race turn ${i} made no fact card`))
      races.push({ fact: fact!, thread: thread!, item: item! });
  }
  await Promise.all(
    races.flatMap((r, i) => {
      const viaWidget = (base: string, type: string) =>
        chatkit(base, u, "threads.custom_action", {
          thread_id: r.thread,
          item_id: r.item,
          action: { type, payload: { fact_id: r.fact } },
        });
      return i % 2
        ? [
            call(a.base, "POST", `/facts/${r.fact}/save`, u),
            call(b.base, "POST", `/facts/${r.fact}/discard`, u),
            viaWidget(a.base, "fact.discard"),
          ]
        : [
            viaWidget(a.base, "fact.save"),
            viaWidget(b.base, "fact.discard"),
            call(b.base, "POST", `/facts/${r.fact}/save`, u),
          ];
    }),
  );
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  let consistent = 0;
  try {
    const listA = ((await call(a.base, "GET", "/facts", u)).json?.facts ?? []) as { id: string }[];
    const listB = ((await call(b.base, "GET", "/facts", u)).json?.facts ?? []) as { id: string }[];
    rec.check(JSON.stringify(listA) === JSON.stringify(listB), "GET /facts differs between the instances");
    for (const r of races) {
      const row = (await client.query("select status from facts where id = $1", [r.fact])).rows[0] as
        { status: string } | undefined;
      const status = row?.status;
      if (!rec.check(status === "saved" || status === "discarded", `fact ${r.fact} ended ${status}`)) continue;
      rec.check(
        listA.some((f) => f.id === r.fact) === (status === "saved"),
        `GET /facts and the row disagree on ${r.fact}`,
      );
      const items = ((await chatkit(b.base, u, "items.list", { thread_id: r.thread, order: "asc", limit: 50 })).json
        ?.data ?? []) as Item[];
      const card = JSON.stringify(items.find((i) => i.id === r.item)?.widget ?? {});
      const label = status === "saved" ? FACT_SAVED_LABEL : FACT_DISCARDED_LABEL;
      const other = status === "saved" ? FACT_DISCARDED_LABEL : FACT_SAVED_LABEL;
      if (
        rec.check(
          card.includes(label) && !card.includes(other),
          `fact ${r.fact} is ${status} but its card says ${card.slice(0, 300)}`,
        )
      )
        consistent++;
    }
  } finally {
    await client.end();
  }
  return { races: races.length, consistent };
}

/** Checkout, a failed renewal and a scheduled cancellation, each event delivered to both instances at once. */
async function webhooksSplit(
  rec: CaseRecorder,
  a: AppServer,
  b: AppServer,
  fakes: Fakes,
  users: Account[],
  dbUrl: string,
) {
  let turn = 0;
  const targets = [a, b];
  fakes.setWebhookTarget(httpTo(() => targets[turn++ % 2]!.base));
  fakes.stripe.setAutoDeliver(false);
  const agents: { id: string; sub: string }[] = [];
  const all: { id: string; type: string }[] = [];
  let deliveries = 0;
  const deliverBoth = async (events: Parameters<typeof fakes.stripe.deliver>[0][]) => {
    for (const e of events) {
      all.push({ id: e.id as string, type: e.type as string });
      const results = await Promise.all([fakes.stripe.deliver(e), fakes.stripe.deliver(e), fakes.stripe.deliver(e)]);
      deliveries += results.length;
      for (const d of results)
        rec.check(d.status === 200, `delivery of ${e.type} answered ${d.status}: ${d.body.slice(0, 200)}`);
    }
  };
  try {
    for (const [i, u] of users.entries()) {
      const sub = await call(i % 2 ? b.base : a.base, "POST", "/api/microagents/subscribe", u, {
        agent_name: `Split ${i}`,
        workflow_id: "wf_inbox_triage",
        price_id: "price_inbox_triage_monthly",
      });
      if (!rec.check(sub.status === 201, `subscribe: ${sub.status}`)) continue;
      const done = fakes.stripe.completeCheckout(String(sub.json!.checkout_url).split("/").pop()!);
      agents.push({ id: String(sub.json!.micro_agent_id), sub: String(done.subscription.id) });
      await deliverBoth(done.events);
    }
    // Then: agent 0 fails a renewal (→ past_due), agent 1 schedules cancellation at period end.
    if (agents[0]) await deliverBoth(fakes.stripe.renew(agents[0].sub, false).events);
    if (agents[1]) await deliverBoth(fakes.stripe.scheduleCancel(agents[1].sub));
  } finally {
    fakes.stripe.setAutoDeliver(true);
    fakes.setWebhookTarget(undefined);
  }
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const handled = all.filter((e) => (HANDLED_EVENT_TYPES as readonly string[]).includes(e.type));
    const ledger = await client.query("select id, count(*)::int n from stripe_events where id = any($1) group by id", [
      handled.map((e) => e.id),
    ]);
    rec.check(ledger.rowCount === handled.length, `ledger rows ${ledger.rowCount}, handled events ${handled.length}`);
    const rows = (
      await client.query(
        "select id, status, stripe_subscription_id, cancel_at_period_end from micro_agents where id = any($1::uuid[])",
        [agents.map((x) => x.id)],
      )
    ).rows as { id: string; status: string; stripe_subscription_id: string; cancel_at_period_end: boolean }[];
    const expected = agents.map((ag, i) => ({
      id: ag.id,
      status: i === 0 ? "past_due" : "active",
      sub: ag.sub,
      cancelAtEnd: i === 1,
    }));
    for (const e of expected) {
      const row = rows.find((r) => r.id === e.id);
      rec.check(
        row?.status === e.status && row.stripe_subscription_id === e.sub && row.cancel_at_period_end === e.cancelAtEnd,
        `micro-agent ${e.id}: expected ${JSON.stringify(e)}, got ${JSON.stringify(row)}`,
      );
    }
    return {
      events: all.length,
      handledEvents: handled.length,
      deliveries,
      ledgerRows: ledger.rowCount,
      agents: agents.length,
    };
  } finally {
    await client.end();
  }
}

/**
 * Samples the database's client connections (pg_stat_activity, this database, other sessions than
 * the sampler's) every 100 ms: the peak and the count at the end say what a pool setting costs.
 */
function sampleConnections(dbUrl: string) {
  const client = new pg.Client({ connectionString: dbUrl });
  const counts: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const sample = async () => {
    const r = await client.query(
      "select count(*)::int n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    counts.push((r.rows[0] as { n: number }).n);
  };
  return {
    async start() {
      await client.connect();
      timer = setInterval(() => void sample().catch(() => undefined), 100);
    },
    /** Always called (also on failure): ends the sampler. */
    async close() {
      clearInterval(timer);
      await client.end().catch(() => undefined);
    },
    async stop(settleMs: number) {
      clearInterval(timer);
      await sample();
      const atEnd = counts.at(-1) ?? 0;
      // After the idle timeout every idle pooled connection should be gone.
      await new Promise((r) => setTimeout(r, settleMs));
      await sample();
      const afterIdle = counts.at(-1) ?? 0;
      return { peak: Math.max(0, ...counts), atEnd, afterIdle, afterIdleMs: settleMs, samples: counts.length };
    },
  };
}

export async function twoInstancesCase(rec: CaseRecorder, fakes: Fakes, databaseUrl: string): Promise<void> {
  const options = appOptions(fakes, databaseUrl);
  const [a, b] = await Promise.all([startApp(options), startApp(options)]);
  const connections = sampleConnections(databaseUrl);
  try {
    await connections.start();
    const started = Date.now();
    const u = await signUp(a.base, "two");
    const others = [u, await signUp(b.base, "two-b"), await signUp(a.base, "two-c")];
    const items = await conversation(rec, a, b, u);
    const race = await factRace(rec, a, b, u, 40, databaseUrl);
    const hooks = await webhooksSplit(rec, a, b, fakes, others, databaseUrl);
    rec.check(!a.exited() && !b.exited(), "an instance exited");
    Object.assign(rec.figures, {
      ports: [a.port, b.port],
      conversationItemsSeen: items,
      factRaces: race.races,
      factRacesConsistent: race.consistent,
      webhook: hooks,
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      // Two instances, DATABASE_POOL_MAX 10 each; idle connections close after 30 s (5 s on Vercel).
      databaseConnections: await connections.stop(31_000),
    });
  } finally {
    await connections.close();
    await Promise.all([a.stop(), b.stop()]);
    saveLog("two-instances-a", a);
    saveLog("two-instances-b", b);
  }
}
