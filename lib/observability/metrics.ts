/**
 * Metrics (OpenTelemetry) that matter for this product; the README's "Operating it" says what
 * each means. Instruments exist only once a meter provider is registered (registerTracing, when
 * telemetry is configured): until then every `record…` call returns at its first test.
 */
import "server-only";
import { metrics, type Counter, type Histogram, type Meter } from "@opentelemetry/api";
import { memoryReport } from "@/lib/health/memory";

type Instruments = {
  firstToken: Histogram;
  turns: Counter;
  modelErrors: Counter;
  quotaRefusals: Counter;
  webhooks: Counter;
  memoryCopyFailures: Counter;
};

// On globalThis: Next bundles instrumentation (which creates them) and the routes (which record) apart,
// each with its own copy of this module.
const INSTRUMENTS = Symbol.for("app.metrics.instruments");
const PAUSED = Symbol.for("app.metrics.paused");
type WithInstruments = typeof globalThis & { [INSTRUMENTS]?: Instruments; [PAUSED]?: Instruments };
const current = (): Instruments | undefined => (globalThis as WithInstruments)[INSTRUMENTS];

/** The benchmark's pause (tracing.ts setTelemetryPaused): recording stops, the instruments are kept. */
export function setInstrumentsPaused(paused: boolean): void {
  const store = globalThis as WithInstruments;
  if (paused && store[INSTRUMENTS]) [store[PAUSED], store[INSTRUMENTS]] = [store[INSTRUMENTS], undefined];
  if (!paused && store[PAUSED]) [store[INSTRUMENTS], store[PAUSED]] = [store[PAUSED], undefined];
}

/** Queue depth and age, read when the metrics are collected (not per request). */
export type QueueState = { queue: string; depth: number; oldestAgeSeconds: number };

/** Creates the instruments on the registered meter provider; `queues` is read at each collection. */
export function createInstruments(
  queues: () => Promise<QueueState[]>,
  meter: Meter = metrics.getMeter("chatkit-facts"),
): void {
  (globalThis as WithInstruments)[INSTRUMENTS] = {
    firstToken: meter.createHistogram("chat.turn.time_to_first_token", {
      unit: "s",
      description: "From the request's start to the first event of the model's reply.",
      advice: { explicitBucketBoundaries: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20] },
    }),
    turns: meter.createCounter("chat.turns", { description: "Chat turns by outcome." }),
    modelErrors: meter.createCounter("chat.model.errors", { description: "Failed model calls by error class." }),
    quotaRefusals: meter.createCounter("chat.quota.refusals", { description: "Turns refused by the per-user quota." }),
    webhooks: meter.createCounter("stripe.webhooks", {
      description: "Stripe webhook deliveries by event type and outcome.",
    }),
    memoryCopyFailures: meter.createCounter("memory.copy.failures", {
      description: "Saved facts whose copy to the user's vector store failed (retried later).",
    }),
  };
  const depth = meter.createObservableGauge("jobs.queue.depth", { description: "Jobs waiting, per queue." });
  const age = meter.createObservableGauge("jobs.queue.oldest_age", {
    unit: "s",
    description: "Age of the oldest waiting job, per queue.",
  });
  meter.addBatchObservableCallback(
    async (observer) => {
      for (const q of await queues().catch(() => [])) {
        observer.observe(depth, q.depth, { queue: q.queue });
        observer.observe(age, q.oldestAgeSeconds, { queue: q.queue });
      }
    },
    [depth, age],
  );
  const heapUsed = meter.createObservableGauge("process.memory.heap_used", {
    unit: "MiB",
    description: "JavaScript heap in use (see also process.memory.heap_limit).",
  });
  const heapLimit = meter.createObservableGauge("process.memory.heap_limit", { unit: "MiB" });
  const rss = meter.createObservableGauge("process.memory.rss", { unit: "MiB", description: "Resident set size." });
  meter.addBatchObservableCallback(
    (observer) => {
      const now = memoryReport();
      observer.observe(heapUsed, now.heap_used_mb);
      observer.observe(heapLimit, now.heap_limit_mb);
      observer.observe(rss, now.rss_mb);
    },
    [heapUsed, heapLimit, rss],
  );
}

export function recordTurn(outcome: string, firstEventMs: number | undefined): void {
  const instruments = current();
  if (!instruments) return;
  instruments.turns.add(1, { outcome });
  if (firstEventMs !== undefined) instruments.firstToken.record(firstEventMs / 1000);
}

export function recordModelError(errorClass: string): void {
  current()?.modelErrors.add(1, { "error.type": errorClass });
}

export function recordQuotaRefusal(reason: string): void {
  current()?.quotaRefusals.add(1, { reason });
}

export function recordWebhook(eventType: string, outcome: string): void {
  current()?.webhooks.add(1, { "event.type": eventType, outcome });
}

export function recordMemoryCopyFailure(): void {
  current()?.memoryCopyFailures.add(1);
}
