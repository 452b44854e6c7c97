/**
 * The one OpenAI client factory. Built from `getEnv().openai` (API key, base URL, timeout) with
 * few retries: our callers sit inside user requests, so a failing upstream should surface as a
 * 502 quickly rather than after the SDK's default backoff.
 */
import "server-only";
import OpenAI from "openai";
import { getEnv } from "@/lib/env";
import { notConfigured } from "@/lib/http";
import { tracedFetch } from "@/lib/observability/http-spans";

/** Retries after the first attempt (connection errors, 408/409/429/5xx). */
export const OPENAI_MAX_RETRIES = 1;

let cached: { key: string; client: OpenAI } | undefined;

/** The shared client, or undefined when OPENAI_API_KEY is unset. */
export function openaiClient(): OpenAI | undefined {
  const { apiKey, baseURL, timeoutMs } = getEnv().openai;
  if (!apiKey) return undefined;
  // Rebuilt only when the configuration changes (tests switch it between files and cases).
  const key = JSON.stringify([apiKey, baseURL, timeoutMs]);
  if (cached?.key !== key) {
    cached = {
      key,
      client: new OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries: OPENAI_MAX_RETRIES, fetch: tracedFetch() }),
    };
  }
  return cached.client;
}

/** The shared client; throws the contract's 500 `not_configured` when OPENAI_API_KEY is unset. */
export function requireOpenAI(): OpenAI {
  const client = openaiClient();
  if (!client) throw notConfigured("OPENAI_API_KEY is not configured.");
  return client;
}
