import { runScheduledJobs } from "@/lib/jobs/cron";
import { json, route } from "@/lib/http";
import { withSpan } from "@/lib/observability/tracing";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
/** Seconds the platform lets this run; the drain stops claiming work 10 s before. */
export const maxDuration = 60;

/** Delivers due background jobs (emails first); Vercel Cron calls it on the schedule in vercel.json. */
export const GET = route(async (request) => {
  const report = await withSpan("jobs.drain", {}, () => runScheduledJobs(request, (maxDuration - 10) * 1000));
  return json(report, { headers: { "Cache-Control": "no-store" } });
});
