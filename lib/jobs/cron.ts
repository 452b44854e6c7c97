/** The cron entry point: Vercel Cron (or any scheduler) calls it with `Authorization: Bearer <CRON_SECRET>`. */
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { notConfigured, unauthorized } from "@/lib/http";
import { drainDueJobs, type DrainReport } from "./registry";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Throws 500 not_configured when CRON_SECRET is unset (the route is never open), 401 when the caller lacks it. */
export function requireCronSecret(request: Request): void {
  const secret = getEnv().cronSecret;
  if (!secret) throw notConfigured("CRON_SECRET is not set, so scheduled jobs cannot be triggered");
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  if (!match?.[1] || !timingSafeEqual(digest(match[1]), digest(secret))) {
    throw unauthorized("A valid cron secret is required");
  }
}

export async function runScheduledJobs(request: Request, budgetMs: number): Promise<DrainReport> {
  requireCronSecret(request);
  return drainDueJobs(await getDb(), { budgetMs });
}
