/**
 * `npm run worker:email`: delivers queued emails (outbound_emails) through SMTP when SMTP_URL is
 * set, or prints them to the log, and works off every other job kind of lib/jobs (such as the
 * outside clean-up of deleted accounts, and the memory job's vector-store file checks) on the same
 * loop. Run as many as you like; they never send one email twice or run one job concurrently.
 * `--once` drains what is due and exits (cron-style). It runs under the `react-server` condition,
 * so modules marked server-only load as they do on the server.
 */
import { closeDb, getDb } from "@/db/client";
import { emailJobs } from "@/lib/email/jobs";
import { configuredTransport } from "@/lib/email/transport";
import { drainEmailQueue, runEmailWorker } from "@/lib/email/worker";
import { drainDueJobs, JOB_KINDS } from "@/lib/jobs";

const transport = configuredTransport();
const db = await getDb();
// Every other queued job kind (lib/jobs), worked off on the same loop after the emails.
const otherKinds = JOB_KINDS.filter((kind) => kind.name !== emailJobs.name);
async function drainOtherJobs(): Promise<void> {
  const report = await drainDueJobs(db, { budgetMs: 60_000, kinds: otherKinds });
  for (const [name, r] of Object.entries(report.kinds)) {
    if ("error" in r) console.log(`[email-worker] ${name} drain failed: ${r.error}`);
    else if (r.done || r.retried || r.failed)
      console.log(`[email-worker] ${name} done ${r.done}, retry ${r.retried}, failed ${r.failed}`);
  }
}
console.log(`[email-worker] delivering via ${transport.name}`);

if (process.argv.includes("--once")) {
  const result = await drainEmailQueue(db, transport);
  console.log(`[email-worker] sent ${result.sent}, retry ${result.retried}, failed ${result.failed}`);
  await drainOtherJobs();
} else {
  const controller = new AbortController();
  process.on("SIGINT", () => controller.abort());
  process.on("SIGTERM", () => controller.abort());
  await runEmailWorker(db, transport, {
    signal: controller.signal,
    alsoDrain: drainOtherJobs,
  });
}
transport.close();
await closeDb();
