/**
 * The one Stripe client. The API version is pinned so the shapes we read (period end on
 * subscription items, invoice → parent.subscription_details) cannot move under us when the
 * SDK is upgraded. STRIPE_API_BASE_URL points it at a local fake in tests and offline demos.
 */
import "server-only";
import Stripe from "stripe";
import { getEnv } from "@/lib/env";
import { AppError, badGateway, notConfigured } from "@/lib/http";
import { STRIPE_API_VERSION } from "./api-version";
import { logger } from "@/lib/observability/logger";
import { traceStripeHttpClient } from "@/lib/observability/http-spans";

const log = logger.child({ component: "billing" });

let cached: { key: string; client: Stripe } | undefined;

/** The configured client; 500 "Stripe secret key is not configured" when there is no key. */
export function getStripe(): Stripe {
  const { secretKey, apiBaseUrl } = getEnv().stripe;
  if (!secretKey) throw notConfigured("Stripe secret key is not configured");
  const cacheKey = `${secretKey}|${apiBaseUrl ?? ""}`;
  if (cached?.key === cacheKey) return cached.client;
  const base = apiBaseUrl ? new URL(apiBaseUrl) : undefined;
  const client = new Stripe(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    httpClient: traceStripeHttpClient(Stripe.createNodeHttpClient()),
    appInfo: { name: "microagents" },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? ("https" as const) : ("http" as const),
        }
      : {}),
  });
  cached = { key: cacheKey, client };
  return client;
}

export function isStripeError(err: unknown): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/** Stripe says the object does not exist (404 / resource_missing). */
export function isMissingResource(err: unknown): boolean {
  return isStripeError(err) && (err.code === "resource_missing" || err.statusCode === 404);
}

/**
 * Stripe could not do it just now, and the same request may well work in a moment: a 5xx
 * (including one replayed under an idempotency key), a timeout or lost connection, rate limiting,
 * or a concurrent request holding the same idempotency key.
 */
export function isTransientStripeError(err: unknown): boolean {
  if (!isStripeError(err)) return false;
  if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeRateLimitError)
    return true;
  return (err.statusCode ?? 0) >= 500 || err.statusCode === 409;
}

/** Runs a Stripe call; a Stripe failure becomes the contract's 502 (see toStripeGatewayError). */
export async function callStripe<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStripeGatewayError(what, err);
  }
}

/**
 * A Stripe failure as the contract's 502: a transient one says plainly that trying again
 * shortly will work (`stripe_unavailable`, with Retry-After); any other stays "Stripe error"
 * (`stripe_error`) — a request Stripe refused, which retrying will not fix.
 */
export function toStripeGatewayError(what: string, err: unknown): Error {
  if (!isStripeError(err)) return err instanceof Error ? err : new Error(String(err));
  log.error(
    {
      call: what,
      type: err.type,
      code: err.code,
      status: err.statusCode,
      stripe_request_id: err.requestId,
      replayed: err.headers?.["idempotent-replayed"] === "true",
      message: err.message,
    },
    "Stripe call failed",
  );
  if (isTransientStripeError(err)) {
    return new AppError(
      502,
      "stripe_unavailable",
      "Our payment provider (Stripe) did not respond just now. Nothing was changed; please try again in a moment.",
      {},
      { "Retry-After": "5" },
    );
  }
  return badGateway("Stripe error", "stripe_error");
}
