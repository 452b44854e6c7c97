/** The email worker: exactly-once delivery across concurrent workers, retries with backoff, failure. */
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, getDb, type Database } from "@/db/client";
import { resolveDatabase } from "@/db/connection-url";
import { outboundEmails } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { enqueueEmail } from "./enqueue";
import { logTransport, type EmailTransport, type OutgoingEmail } from "./transport";
import { drainEmailQueue, retryDelaySeconds } from "./worker";

const testDb = useTestDatabase();
const handles: { close(): Promise<void> }[] = [];

/** A second, independent connection pool: what another worker process would have. */
async function separateWorkerDb(): Promise<Database> {
  const handle = await openDatabase(resolveDatabase(testDb.url, undefined, ""), 4);
  handles.push(handle);
  return handle.db;
}
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

function recordingTransport(delayMs = 0, fail?: (m: OutgoingEmail) => boolean) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    name: "test",
    async send(message) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (fail?.(message)) throw new Error(`SMTP 451 temporary failure for ${message.to}`);
      sent.push(message);
    },
    close: () => undefined,
  };
  return { transport, sent };
}

beforeEach(async () => {
  await (await getDb()).delete(outboundEmails);
});

describe("email worker", () => {
  it("two workers draining one queue concurrently send each email exactly once", async () => {
    const db = await getDb();
    for (let i = 0; i < 40; i++) await enqueueEmail(db, { to: `u${i}@example.com`, subject: `s${i}`, body: `b${i}` });
    const soon = () => new Date(Date.now() + 1000); // row defaults carry microseconds
    const a = recordingTransport(3);
    const b = recordingTransport(3);
    const [ra, rb] = await Promise.all([
      drainEmailQueue(await separateWorkerDb(), a.transport, { batchSize: 3, now: soon }),
      drainEmailQueue(await separateWorkerDb(), b.transport, { batchSize: 3, now: soon }),
    ]);
    const all = [...a.sent, ...b.sent].map((m) => m.to).sort();
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    expect(ra.sent + rb.sent).toBe(40);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    const rows = await db.select().from(outboundEmails);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1 && r.sentAt !== null)).toBe(true);
  });

  it("records a failed attempt and schedules a retry with exponential backoff, then delivers", async () => {
    const db = await getDb();
    const email = await enqueueEmail(db, { to: "flaky@example.com", subject: "hi", body: "there" });
    // A second ahead: the row's default timestamp has microseconds a JS Date cannot express.
    let now = new Date(Date.now() + 1000);
    const clock = () => now;
    const failing = recordingTransport(0, () => true);
    expect(await drainEmailQueue(db, failing.transport, { now: clock })).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, email.id));
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row?.lastError).toContain("SMTP 451");
    expect(row!.nextAttemptAt.getTime() - now.getTime()).toBe(retryDelaySeconds(1) * 1000);
    // Not due yet: nothing happens.
    expect((await drainEmailQueue(db, failing.transport, { now: clock })).retried).toBe(0);
    now = new Date(now.getTime() + retryDelaySeconds(1) * 1000 + 1);
    const ok = recordingTransport();
    expect((await drainEmailQueue(db, ok.transport, { now: clock })).sent).toBe(1);
    [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, email.id));
    expect(row).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(retryDelaySeconds(2)).toBe(2 * retryDelaySeconds(1));
    expect(retryDelaySeconds(50)).toBe(3600);
  });

  it("marks an email failed after the last attempt and stops retrying it", async () => {
    const db = await getDb();
    const email = await enqueueEmail(db, { to: "bounce@example.com", subject: "hi", body: "there" });
    const failing = recordingTransport(0, () => true);
    let now = new Date(Date.now() + 1000);
    const options = { maxAttempts: 2, now: () => now };
    expect((await drainEmailQueue(db, failing.transport, options)).retried).toBe(1);
    now = new Date(now.getTime() + 3600_000);
    expect((await drainEmailQueue(db, failing.transport, options)).failed).toBe(1);
    now = new Date(now.getTime() + 7200_000);
    expect(await drainEmailQueue(db, failing.transport, options)).toEqual({ sent: 0, retried: 0, failed: 0 });
    const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, email.id));
    expect(row).toMatchObject({ status: "failed", attempts: 2 });
  });

  it("leaves a claimed email alone until its lease runs out (a crashed worker delays, never duplicates)", async () => {
    const db = await getDb();
    await enqueueEmail(db, { to: "lease@example.com", subject: "hi", body: "there" });
    const { claimDueEmails } = await import("./worker");
    const soon = () => new Date(Date.now() + 1000); // row defaults carry microseconds
    const claimed = await claimDueEmails(db, { leaseSeconds: 300, now: soon });
    expect(claimed).toHaveLength(1);
    const other = recordingTransport();
    expect((await drainEmailQueue(db, other.transport, { now: soon })).sent).toBe(0);
    const later = () => new Date(Date.now() + 301_000);
    expect((await drainEmailQueue(db, other.transport, { now: later })).sent).toBe(1);
  });

  it("prints emails to the log with the configured sender when no SMTP server is set", async () => {
    const lines: string[] = [];
    await logTransport((l) => lines.push(l)).send({
      to: "dev@example.com",
      subject: "Subject here",
      text: "Body here",
    });
    expect(lines.join("\n")).toMatch(
      /from "Microagents" <hi@cumulush.com> to dev@example.com[\s\S]*Subject here[\s\S]*Body here/,
    );
  });
});
