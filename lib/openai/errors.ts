/** Classifying OpenAI SDK failures, so callers can turn them into our 502 without leaking details. */
import OpenAI from "openai";
import { AppError, badGateway } from "@/lib/http";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "openai" });

/** True for anything the SDK throws about the upstream: HTTP errors, timeouts, broken connections. */
export function isOpenAIError(err: unknown): err is InstanceType<typeof OpenAI.OpenAIError> {
  return err instanceof OpenAI.OpenAIError;
}

export function isOpenAINotFound(err: unknown): boolean {
  return err instanceof OpenAI.NotFoundError;
}

/** Runs an upstream call whose object may already be gone: a 404 answers null, anything else throws. */
export async function unlessOpenAINotFound<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isOpenAINotFound(err)) return null;
    throw err;
  }
}

/** A short description for logs: status and code, never the request body. */
export function describeOpenAIError(err: unknown): string {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return "timeout";
  if (err instanceof OpenAI.APIError) return `${err.status ?? "no status"} ${err.code ?? err.type ?? ""}`.trim();
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Runs an upstream call; an OpenAI failure becomes a 502 with `detail` (logged with its cause).
 * Our own AppErrors and programming errors pass through unchanged.
 */
export async function callOpenAI<T>(what: string, detail: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError || !isOpenAIError(err)) throw err;
    log.warn({ call: what, error_class: describeOpenAIError(err) }, "OpenAI call failed");
    throw badGateway(detail, "openai_error");
  }
}
