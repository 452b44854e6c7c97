import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { migrationState } from "@/db/migration-state";
import { configurationProblems } from "@/lib/env";
import { scrubText } from "@/lib/observability/redact";
import { memoryReport, memoryReportSchema } from "./memory";

const databaseState = z.enum(["ok", "unreachable", "migrations_pending", "not_checked"]).meta({
  description: "`not_checked`: the configuration is too broken to find the database.",
});

export const healthReportSchema = z.object({
  status: z.enum(["healthy", "degraded", "unhealthy"]).meta({
    description:
      "`unhealthy` (503): a main journey (sign-up, sign-in, chat) cannot be served. `degraded` (200): a side journey is broken (webhooks, email delivery, scheduled jobs).",
  }),
  database: databaseState,
  configuration: z.union([z.literal("ok"), z.record(z.string(), z.string())]).meta({
    description:
      "`ok`, or each configuration problem under its own name (`jwt_secret`, `public_base_url`, `stripe_webhook_secret`, …) with a sentence naming the variable to set.",
  }),
  detail: z.string().optional().meta({ description: "What makes it unhealthy, and the fix." }),
  memory: memoryReportSchema,
});
export type HealthReport = z.infer<typeof healthReportSchema>;

type DatabaseCheck = { database: z.infer<typeof databaseState>; detail?: string };

const TIMEOUT_MS = 3000;
/** A schema found behind is looked at again after this long (a deploy may be migrating it right now). */
const PENDING_RECHECK_MS = 5000;

/**
 * The schema check runs once per process while the schema is current (a running build's
 * migrations never go backwards), and at most every few seconds while it is behind; the cheap
 * `select 1` covers every other call.
 */
let schemaCurrent = false;
let pendingSeen: { at: number; pending: string[] } | undefined;

async function probe(): Promise<DatabaseCheck> {
  const db = await getDb();
  if (schemaCurrent) {
    await db.execute(sql`select 1`);
    return { database: "ok" };
  }
  let pending: string[];
  if (pendingSeen && Date.now() - pendingSeen.at < PENDING_RECHECK_MS) {
    await db.execute(sql`select 1`);
    pending = pendingSeen.pending;
  } else {
    pending = (await migrationState(db)).pending;
    pendingSeen = { at: Date.now(), pending };
  }
  if (pending.length === 0) {
    schemaCurrent = true;
    pendingSeen = undefined;
    return { database: "ok" };
  }
  return {
    database: "migrations_pending",
    detail:
      `${pending.length} database migration${pending.length === 1 ? " is" : "s are"} not applied ` +
      `(${pending.join(", ")}). Run \`npm run db:migrate\` against this database (on Vercel the build does it).`,
  };
}

async function checkDatabase(): Promise<DatabaseCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    return await Promise.race([probe(), timeout]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { database: "unreachable", detail: `Database check failed: ${scrubText(reason)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The configuration (each problem in its own field) and the database (reachable within the
 * timeout, with every migration this build ships). Unhealthy when a main journey cannot be served.
 */
export async function checkHealth(): Promise<HealthReport> {
  const problems = configurationProblems();
  const names = Object.keys(problems);
  const fatal = Object.values(problems).find((p) => p.fatal);
  // Settings that stop getEnv() also stop the database lookup: say so rather than "unreachable".
  const loads = !("settings" in problems || "database_url" in problems || "jwt_secret" in problems);
  const db: DatabaseCheck = loads ? await checkDatabase() : { database: "not_checked" };
  const configuration = names.length
    ? Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, p.detail]))
    : ("ok" as const);
  const detail = fatal?.detail ?? db.detail;
  const status = fatal || db.database !== "ok" ? "unhealthy" : names.length ? "degraded" : "healthy";
  return { status, database: db.database, configuration, ...(detail ? { detail } : {}), memory: memoryReport() };
}

/** For tests: forget what the schema check learned. */
export function resetHealthCache(): void {
  schemaCurrent = false;
  pendingSeen = undefined;
}
