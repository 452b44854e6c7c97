/** What every case shares: the fakes, result records, and small assertions. */
import { start as startOpenAI, type FakeOpenAI } from "@/e2e/fakes/openai/server";
import { start as startStripe, type FakeStripe } from "@/e2e/fakes/stripe/server";
import { start as startOidc } from "@/e2e/fakes/oidc/server";
import type { Transport } from "@/e2e/fakes/stripe/webhooks";
import { mkdirSync, writeFileSync } from "node:fs";
import type { AppServer } from "@/e2e/support/app-server";

export type CaseResult = {
  name: string;
  ok: boolean;
  ms: number;
  figures: Record<string, unknown>;
  failures: string[];
};

/** Collects a case's figures and failures; `check` records a failure instead of throwing. */
export class CaseRecorder {
  readonly figures: Record<string, unknown> = {};
  readonly failures: string[] = [];
  check(ok: boolean, message: string): boolean {
    if (!ok && this.failures.length < 200) this.failures.push(message);
    return ok;
  }
  fail(message: string): void {
    this.check(false, message);
  }
}

export type Fakes = {
  openai: FakeOpenAI;
  stripe: FakeStripe;
  oidcUrl: string;
  webhookSecret: string;
  /** Where the Stripe fake delivers webhooks; cases point it at their app (or a round robin). */
  setWebhookTarget(transport: Transport | undefined): void;
  close(): Promise<void>;
};

/** The app options that point a server at these fakes and a database. */
export function appOptions(fakes: Fakes, databaseUrl: string, env?: Record<string, string>) {
  return {
    databaseUrl,
    openaiBaseUrl: fakes.openai.baseURL,
    stripeUrl: fakes.stripe.url,
    oidcUrl: fakes.oidcUrl,
    webhookSecret: fakes.webhookSecret,
    env,
  };
}

export const WEBHOOK_SECRET = "whsec_resilience_secret";

export async function startFakes(): Promise<Fakes> {
  let target: Transport | undefined;
  const openai = await startOpenAI(0, {});
  const stripe = await startStripe(0, {
    stripeWebhookSecret: WEBHOOK_SECRET,
    transport: (payload, headers) => {
      if (!target) return Promise.resolve({ status: 0, body: "no webhook target" });
      return target(payload, headers);
    },
  });
  const oidc = await startOidc(0, {});
  return {
    openai,
    stripe,
    oidcUrl: oidc.url,
    webhookSecret: WEBHOOK_SECRET,
    setWebhookTarget(t) {
      target = t;
    },
    async close() {
      await Promise.allSettled([openai.close(), stripe.close(), oidc.close()]);
    },
  };
}

/** A webhook transport that POSTs to an app (signature headers kept as the fake made them). */
export function httpTo(base: () => string): Transport {
  return async (payload, headers) => {
    try {
      const res = await fetch(`${base()}/api/webhooks/stripe`, {
        method: "POST",
        headers,
        body: payload,
        signal: AbortSignal.timeout(20_000),
      });
      return { status: res.status, body: await res.text() };
    } catch (err) {
      return { status: 0, body: String(err) };
    }
  };
}

export function histogram(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await work(i);
    }
  });
  await Promise.all(lanes);
}

/** Is this answer the error contract: JSON with a string `detail`? */
export function isJsonError(contentType: string | undefined, body: string): boolean {
  if (!contentType?.includes("application/json")) return false;
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    return typeof parsed?.detail === "string" && parsed.detail.length > 0;
  } catch {
    return false;
  }
}

/** Keeps a server's output for the report: .data/resilience-logs/<name>-<port>.log. */
export function saveLog(name: string, app: AppServer): string {
  mkdirSync(".data/resilience-logs", { recursive: true });
  const file = `.data/resilience-logs/${name}-${app.port}.log`;
  writeFileSync(file, app.log.join("\n") + "\n");
  return file;
}
