/**
 * The micro-agent catalogue lives in Stripe: an active Product whose `metadata.workflow_id` names
 * the hosted workflow it unlocks is a micro-agent, and its active recurring Prices are its plans.
 *
 * One listing (every recurring price, with its product expanded) yields both what is on offer
 * and the price → workflow map that entitlements use. That map also keeps archived prices and
 * products: Stripe goes on billing existing subscribers of an archived price, and they keep
 * what they pay for. The listing is reused for STRIPE_CATALOGUE_TTL_SECONDS (concurrent callers
 * share one read); when Stripe cannot be reached the last catalogue read is answered, marked
 * stale, and with none yet the answer is 503 — never a 500.
 */
import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/http";
import { getStripe, isStripeError } from "./stripe-client";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "billing" });

const INTERVALS = ["day", "week", "month", "year"] as const;

export const cataloguePriceSchema = z.object({
  id: z.string().meta({ examples: ["price_inbox_triage_monthly"] }),
  amount: z.number().int().meta({ description: "In the currency's smallest unit (cents for USD)." }),
  currency: z.string().meta({ examples: ["usd"] }),
  interval: z.enum(INTERVALS),
  interval_count: z.number().int().meta({ description: "Billed every `interval_count` intervals." }),
  nickname: z.string().nullable(),
});

export const catalogueEntrySchema = z.object({
  product_id: z.string().meta({ examples: ["prod_inbox_triage"] }),
  name: z.string(),
  description: z.string().nullable(),
  workflow_id: z.string().meta({ description: "The hosted workflow a subscription to this micro-agent unlocks." }),
  prices: z.array(cataloguePriceSchema).meta({ description: "Its plans, shortest interval first." }),
});

export const catalogueResponseSchema = z.object({
  data: z.array(catalogueEntrySchema),
  fetched_at: z.string().meta({ description: "When this catalogue was read from Stripe (ISO-8601)." }),
  stale: z.boolean().meta({
    description: "True when Stripe could not be reached just now and this is the last catalogue the server read.",
  }),
});

export type CataloguePrice = z.infer<typeof cataloguePriceSchema>;
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;
export type CatalogueResponse = z.infer<typeof catalogueResponseSchema>;

/** What a price unlocks: its product and that product's workflow. */
export type Unlock = { productId: string; productName: string; workflowId: string };

export type Catalogue = {
  entries: CatalogueEntry[];
  /** Every recurring price of a micro-agent product (active or archived) → what it unlocks. */
  unlocks: ReadonlyMap<string, Unlock>;
  fetchedAt: Date;
};

const workflowIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/);

/**
 * THE rule: a recurring price unlocks the workflow its product names in `metadata.workflow_id`.
 * A price whose product is deleted, unexpanded or names no (valid) workflow unlocks nothing.
 */
export function unlockOf(price: Stripe.Price): Unlock | null {
  const product = price.product;
  if (typeof product === "string" || product.deleted) return null;
  if (price.type !== "recurring" || !price.recurring) return null;
  const workflow = workflowIdSchema.safeParse(product.metadata.workflow_id);
  return workflow.success ? { productId: product.id, productName: product.name, workflowId: workflow.data } : null;
}

/** An active recurring price of an active micro-agent product: something one can subscribe to now. */
export function isOnOffer(price: Stripe.Price): boolean {
  const product = price.product;
  return price.active && typeof product !== "string" && !product.deleted && product.active && !!unlockOf(price);
}

function toCataloguePrice(price: Stripe.Price): CataloguePrice | null {
  const interval = INTERVALS.find((i) => i === price.recurring?.interval);
  if (price.unit_amount === null || !interval) return null; // tiered prices are not offered here
  return {
    id: price.id,
    amount: price.unit_amount,
    currency: price.currency,
    interval,
    interval_count: price.recurring?.interval_count ?? 1,
    nickname: price.nickname,
  };
}

const byPeriod = (a: CataloguePrice, b: CataloguePrice) =>
  INTERVALS.indexOf(a.interval) - INTERVALS.indexOf(b.interval) ||
  a.interval_count - b.interval_count ||
  a.amount - b.amount;

/** Builds the catalogue from a listing of recurring prices with their products expanded. */
export function buildCatalogue(prices: Stripe.Price[], fetchedAt = new Date()): Catalogue {
  const unlocks = new Map<string, Unlock>();
  const entries = new Map<string, CatalogueEntry>();
  for (const price of prices) {
    const unlock = unlockOf(price);
    if (!unlock) continue;
    unlocks.set(price.id, unlock);
    const offered = isOnOffer(price) ? toCataloguePrice(price) : null;
    if (!offered) continue;
    const product = price.product as Stripe.Product;
    const entry = entries.get(product.id) ?? {
      product_id: product.id,
      name: product.name,
      description: product.description || null,
      workflow_id: unlock.workflowId,
      prices: [],
    };
    entry.prices.push(offered);
    entries.set(product.id, entry);
  }
  const list = [...entries.values()].sort(
    (a, b) => a.name.localeCompare(b.name, "en") || (a.product_id < b.product_id ? -1 : 1),
  );
  for (const entry of list) entry.prices.sort(byPeriod);
  return { entries: list, unlocks, fetchedAt };
}

const LIST_TIMEOUT_MS = 10_000;
const MAX_PRICES = 10_000;

async function readFromStripe(): Promise<Catalogue> {
  const stripe = getStripe();
  const prices = await stripe.prices
    .list({ type: "recurring", limit: 100, expand: ["data.product"] }, { timeout: LIST_TIMEOUT_MS })
    .autoPagingToArray({ limit: MAX_PRICES });
  return buildCatalogue(prices);
}

type CacheState = { key: string; catalogue?: Catalogue; inflight?: Promise<Catalogue>; failedAt?: number };
/** After a failed read, callers get the last catalogue at once for this long instead of waiting on Stripe again. */
const RETRY_AFTER_FAILURE_MS = 5_000;
let cache: CacheState = { key: "" };

export const catalogueUnavailable = (
  detail = "The micro-agent catalogue is unavailable right now; please try again shortly.",
) => new AppError(503, "catalogue_unavailable", detail);

/**
 * The catalogue, read from Stripe at most once per TTL per instance. `including` names prices the
 * caller needs to know and when it learnt of them: a cached catalogue that lacks one and was read
 * before then is read again (a plan added a moment ago); one read since is believed. When Stripe
 * fails, the last catalogue is answered with `stale: true`; with none, 503 `catalogue_unavailable`.
 */
export async function getCatalogue(
  options: { including?: { priceIds: readonly string[]; since: Date } } = {},
): Promise<{
  catalogue: Catalogue;
  stale: boolean;
}> {
  const { secretKey, apiBaseUrl, catalogueTtlSeconds } = getEnv().stripe;
  if (!secretKey) throw catalogueUnavailable("Subscriptions are not configured on this server.");
  const key = `${secretKey}|${apiBaseUrl ?? ""}`;
  if (cache.key !== key) cache = { key };
  const state = cache;
  const known = state.catalogue;
  const ttlMs = catalogueTtlSeconds * 1000;
  const including = options.including;
  const outdated =
    !known ||
    Date.now() - known.fetchedAt.getTime() >= ttlMs ||
    (including !== undefined &&
      known.fetchedAt < including.since &&
      including.priceIds.some((id) => !known.unlocks.has(id)));
  if (!outdated) return { catalogue: known, stale: false };
  if (known && state.failedAt !== undefined && Date.now() - state.failedAt < Math.min(ttlMs, RETRY_AFTER_FAILURE_MS)) {
    return { catalogue: known, stale: true };
  }

  state.inflight ??= readFromStripe().finally(() => {
    state.inflight = undefined;
  });
  try {
    const catalogue = await state.inflight;
    if (!state.catalogue || state.catalogue.fetchedAt <= catalogue.fetchedAt) state.catalogue = catalogue;
    state.failedAt = undefined;
    return { catalogue, stale: false };
  } catch (err) {
    if (!isStripeError(err)) throw err;
    state.failedAt = Date.now();
    log.error(
      {
        type: err.type,
        code: err.code,
        status: err.statusCode,
        message: err.message,
      },
      "reading the catalogue from Stripe failed",
    );
    if (state.catalogue) return { catalogue: state.catalogue, stale: true };
    throw catalogueUnavailable();
  }
}

export function toCatalogueResponse({ catalogue, stale }: { catalogue: Catalogue; stale: boolean }): CatalogueResponse {
  return { data: catalogue.entries, fetched_at: catalogue.fetchedAt.toISOString(), stale };
}

/** The catalogue entry a price id belongs to, when it is on offer. */
export function entryOfPrice(catalogue: Catalogue, priceId: string): CatalogueEntry | undefined {
  const unlock = catalogue.unlocks.get(priceId);
  return unlock ? catalogue.entries.find((e) => e.product_id === unlock.productId) : undefined;
}
