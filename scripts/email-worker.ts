/**
 * `npm run worker:email`: delivers queued emails (outbound_emails) through SMTP when SMTP_URL is
 * set, or prints them to the log. Run as many as you like; they never send one email twice.
 * `--once` drains what is due and exits (cron-style).
 */
import { closeDb, getDb } from "@/db/client";
import { configuredTransport } from "@/lib/email/transport";
import { drainEmailQueue, runEmailWorker } from "@/lib/email/worker";

const transport = configuredTransport();
const db = await getDb();
console.log(`[email-worker] delivering via ${transport.name}`);

if (process.argv.includes("--once")) {
  const result = await drainEmailQueue(db, transport);
  console.log(`[email-worker] sent ${result.sent}, retry ${result.retried}, failed ${result.failed}`);
} else {
  const controller = new AbortController();
  process.on("SIGINT", () => controller.abort());
  process.on("SIGTERM", () => controller.abort());
  await runEmailWorker(db, transport, { signal: controller.signal });
}
transport.close();
await closeDb();
