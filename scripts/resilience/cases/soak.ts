/**
 * Case 5: a steady load of streaming turns against a server with a small heap. Thousands of
 * turns of every streaming request type (new threads, follow-ups, retries, the fact card's
 * Save/Discard, Stop mid-reply, model faults) must all end as the protocol says, the server
 * must survive, and its heap after a full collection must come back to where warm-up left it:
 * a turn that leaves anything behind shows up as growth proportional to the number of turns.
 */
import { STRIPE_API_VERSION } from "@/lib/billing/api-version";
import { signatureHeader } from "@/e2e/fakes/stripe/webhooks";
import {
  call,
  chatkit,
  factIdOf,
  signUp,
  threadIdOf,
  userInput,
  userItemIdOf,
  widgetItemIdOf,
  type Account,
} from "../client";
import { appOptions, CaseRecorder, pool, type Fakes, saveLog } from "../harness";
import { Inspector, inspectorUrl, type HeapFigures } from "../inspector";
import { sleep, startApp } from "@/e2e/support/app-server";
import type { SseEvent } from "@/e2e/support/sse";

export type SoakOptions = {
  turns: number;
  warmup: number;
  /** Requests on the other paths that outlive a plain JSON answer (uploads, export, sessions, jobs, webhooks). */
  others: number;
  heapMb: number;
  toleranceMb: number;
};

const LANES = 4;
const round = (n: number) => Number(n.toFixed(1));

type Lane = { user: Account; thread?: string; lastUserItem?: string };
type Kind = "create" | "follow-up" | "retry" | "fact-card" | "stop" | "fault";

/** A fixed rotation, so every run sends the same mix: mostly new threads and follow-ups. */
const MIX: Kind[] = ["create", "follow-up", "create", "fact-card", "retry", "follow-up", "stop", "create", "fault"];

const endedWell = (events: SseEvent[] | undefined) =>
  !!events && events.length > 0 && !events.some((e) => e.type === "error");

/** One turn of the given kind; answers a failure description, or undefined when it went as it should. */
async function turn(base: string, lane: Lane, kind: Kind, n: number): Promise<string | undefined> {
  const { user } = lane;
  if (kind === "stop") {
    // Stop mid-reply: the client goes away after the first frame of a slow, long reply.
    const aborter = new AbortController();
    const res = await fetch(`${base}/chatkit`, {
      method: "POST",
      headers: { "content-type": "application/json", ...user.auth },
      body: JSON.stringify({ type: "threads.create", params: { input: userInput("[slow:5] [deltas:400] go on") } }),
      signal: aborter.signal,
    });
    if (res.status !== 200 || !res.body) return `stop: ${res.status}`;
    const reader = res.body.getReader();
    const first = await reader.read();
    aborter.abort();
    await reader.cancel().catch(() => undefined);
    return first.done ? "stop: the stream ended before its first frame" : undefined;
  }
  if (kind === "fault") {
    const fault = n % 2 ? "error" : "cut";
    const answer = await chatkit(base, user, "threads.create", { input: userInput(`[fault:${fault}] [deltas:5] hi`) });
    const error = answer.events?.find((e) => e.type === "error") as { allow_retry?: boolean } | undefined;
    return answer.status === 200 && error?.allow_retry === true
      ? undefined
      : `fault ${fault}: ${answer.status} ${answer.text.slice(0, 120)}`;
  }
  if (kind === "fact-card") {
    const made = await chatkit(base, user, "threads.create", { input: userInput(`My name is Soak${n}`) });
    const fact = factIdOf(made.events);
    const item = widgetItemIdOf(made.events);
    const thread = threadIdOf(made.events);
    if (made.status !== 200 || !fact || !item || !thread) return `fact card: ${made.status} made no card`;
    const pressed = await chatkit(base, user, "threads.custom_action", {
      thread_id: thread,
      item_id: item,
      action: { type: n % 2 ? "fact.save" : "fact.discard", payload: { fact_id: fact } },
    });
    return pressed.status === 200 && endedWell(pressed.events) ? undefined : `custom_action: ${pressed.status}`;
  }
  if ((kind === "follow-up" || kind === "retry") && lane.thread) {
    const answer =
      kind === "retry" && lane.lastUserItem
        ? await chatkit(base, user, "threads.retry_after_item", { thread_id: lane.thread, item_id: lane.lastUserItem })
        : await chatkit(base, user, "threads.add_user_message", {
            thread_id: lane.thread,
            input: userInput("[deltas:50] and then?"),
          });
    if (answer.status !== 200 || !endedWell(answer.events))
      return `${kind}: ${answer.status} ${answer.text.slice(0, 120)}`;
    lane.lastUserItem = userItemIdOf(answer.events) ?? lane.lastUserItem;
    return undefined;
  }
  const answer = await chatkit(base, user, "threads.create", { input: userInput("[deltas:50] tell me a story") });
  if (answer.status !== 200 || !endedWell(answer.events))
    return `create: ${answer.status} ${answer.text.slice(0, 120)}`;
  lane.thread = threadIdOf(answer.events);
  lane.lastUserItem = userItemIdOf(answer.events);
  return undefined;
}

/** Runs `work(n)` for n in [offset, offset + count), LANES at once; each problem is recorded, their number returned. */
async function countFailures(
  rec: CaseRecorder,
  label: string,
  count: number,
  offset: number,
  work: (n: number) => Promise<string | undefined>,
) {
  let failed = 0;
  await pool(count, LANES, async (i) => {
    const n = offset + i;
    const problem = await work(n).catch((err: unknown) => String(err));
    if (problem) {
      failed++;
      rec.fail(`${label} ${n}: ${problem}`);
    }
  });
  return failed;
}

/** `count` turns over the lanes, in the fixed mix. */
const load = (rec: CaseRecorder, base: string, lanes: Lane[], count: number, offset: number) =>
  countFailures(rec, "turn", count, offset, (n) => turn(base, lanes[n % LANES]!, MIX[n % MIX.length]!, n));

type Other = "attachment" | "export" | "hosted-session" | "password-reset" | "webhook";
const OTHERS: Other[] = ["attachment", "export", "hosted-session", "password-reset", "webhook"];

/** One request on a path other than a chat turn that streams, uploads, or leaves work after its answer. */
async function other(base: string, user: Account, kind: Other, n: number, webhookSecret: string) {
  if (kind === "attachment") {
    const made = await chatkit(base, user, "attachments.create", {
      name: "note.txt",
      size: 5,
      mime_type: "text/plain",
    });
    const descriptor = made.json?.upload_descriptor as { url?: string } | undefined;
    const id = made.json?.id as string | undefined;
    if (made.status !== 200 || !descriptor?.url || !id) return `attachments.create: ${made.status}`;
    const form = new FormData();
    form.set("file", new Blob(["hello"], { type: "text/plain" }), "note.txt");
    const upload = await fetch(descriptor.url, { method: "POST", headers: user.auth, body: form });
    await upload.text();
    if (upload.status !== 200) return `upload: ${upload.status}`;
    const content = await fetch(`${base}/chatkit/attachments/${id}/content`, { headers: user.auth });
    return (await content.text()) === "hello" ? undefined : `attachment content: ${content.status}`;
  }
  if (kind === "export") {
    const res = await fetch(`${base}/api/account/export`, { headers: user.auth });
    const body = await res.text();
    return res.status === 200 && body.length > 0 ? undefined : `export: ${res.status}`;
  }
  if (kind === "hosted-session") {
    const res = await call(base, "POST", "/api/chatkit/session", user, {});
    return res.status === 200 ? undefined : `hosted session: ${res.status} ${res.text.slice(0, 120)}`;
  }
  if (kind === "password-reset") {
    // Queues an email and drains the queue after the answer.
    const res = await call(base, "POST", "/api/auth/forgot-password", undefined, { email: user.email });
    return res.status === 202 ? undefined : `forgot-password: ${res.status}`;
  }
  const payload = JSON.stringify({
    id: `evt_soak_${n}`,
    object: "event",
    type: "customer.created",
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { id: `cus_soak_${n}`, object: "customer" } },
  });
  const res = await fetch(`${base}/api/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signatureHeader(payload, webhookSecret) },
    body: payload,
  });
  await res.text();
  return res.status === 200 ? undefined : `webhook: ${res.status}`;
}

const loadOthers = (rec: CaseRecorder, base: string, lanes: Lane[], count: number, webhookSecret: string) =>
  countFailures(rec, "request", count, 0, (n) =>
    other(base, lanes[n % LANES]!.user, OTHERS[n % OTHERS.length]!, n, webhookSecret),
  );

export async function soakCase(rec: CaseRecorder, fakes: Fakes, databaseUrl: string, options: SoakOptions) {
  const app = await startApp(
    appOptions(fakes, databaseUrl, {
      NODE_OPTIONS: `--max-old-space-size=${options.heapMb} --inspect=127.0.0.1:0`,
      MODEL_TURNS_PER_MINUTE: "1000000",
    }),
  );
  let inspector: Inspector | undefined;
  try {
    const url = inspectorUrl(app.log);
    if (!rec.check(!!url, "the server printed no inspector address")) return;
    inspector = await Inspector.connect(url!);
    const lanes: Lane[] = await Promise.all(
      Array.from({ length: LANES }, async (_, i) => ({ user: await signUp(app.base, `soak${i}`) })),
    );
    const started = Date.now();
    let failed = await load(rec, app.base, lanes, options.warmup, 0);
    await sleep(500);
    const warm: HeapFigures = await inspector.heapAfterGc();
    failed += await load(rec, app.base, lanes, options.turns, options.warmup);
    const seconds = (Date.now() - started) / 1000;
    rec.check(!app.exited(), `the server died during the soak:\n${app.log.slice(-8).join("\n")}`);
    if (app.exited()) return;
    // The work each turn hands to after() (its store writes, the memory sync) settles shortly after.
    await sleep(1000);
    const end = await inspector.heapAfterGc();
    const grew = end.heapUsedMb - warm.heapUsedMb;
    // The other long-lived paths, measured the same way from where the turns left the heap.
    // Fresh accounts, so an export streams a few threads rather than the soak's thousands.
    const fresh: Lane[] = await Promise.all(
      Array.from({ length: LANES }, async (_, i) => ({ user: await signUp(app.base, `soak-other${i}`) })),
    );
    await load(rec, app.base, fresh, LANES * 2, 0);
    const othersFailed = await loadOthers(rec, app.base, fresh, options.others, fakes.webhookSecret);
    await sleep(1000);
    const final = await inspector.heapAfterGc();
    const othersGrew = final.heapUsedMb - end.heapUsedMb;
    rec.check(othersFailed === 0, `${othersFailed} requests on the other paths failed`);
    rec.check(
      othersGrew <= options.toleranceMb,
      `heap after a full GC grew ${round(othersGrew)} MB over ${options.others} uploads, exports, sessions, ` +
        `password resets and webhooks (${round(end.heapUsedMb)} → ${round(final.heapUsedMb)} MB)`,
    );
    rec.check(failed === 0, `${failed} turns failed`);
    rec.check(
      grew <= options.toleranceMb,
      `heap after a full GC grew ${round(grew)} MB over ${options.turns} turns ` +
        `(${round(warm.heapUsedMb)} → ${round(end.heapUsedMb)} MB; ${round((grew * 1024) / options.turns)} KB a turn)`,
    );
    const health = await fetch(`${app.base}/health`);
    rec.check(health.status === 200, `health after the soak: ${health.status}`);
    Object.assign(rec.figures, {
      turns: options.warmup + options.turns,
      failedTurns: failed,
      seconds: round(seconds),
      turnsPerSecond: round((options.warmup + options.turns) / seconds),
      heapCapMb: options.heapMb,
      heapAfterWarmupMb: round(warm.heapUsedMb),
      heapAfterSoakMb: round(end.heapUsedMb),
      rssAfterWarmupMb: round(warm.rssMb),
      rssAfterSoakMb: round(end.rssMb),
      otherRequests: options.others,
      heapAfterOthersMb: round(final.heapUsedMb),
    });
  } finally {
    inspector?.close();
    await app.stop();
    saveLog("soak", app);
  }
}
