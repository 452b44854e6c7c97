/** GET /api/cron/jobs: refused without the cron secret; with it, queued emails go out (no worker running). */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { outboundEmails } from "@/db/schema";
import { useTestDatabase } from "@/e2e/support/test-database";
import { enqueueEmail } from "@/lib/email/enqueue";
import { resetEnvCache } from "@/lib/env";
import { drainDueJobs, type JobKind } from "@/lib/jobs";
import { GET } from "./route";

const SECRET = "cron-secret-0123456789abcdef";
useTestDatabase({ CRON_SECRET: SECRET, SMTP_URL: "" });

const call = (headers: Record<string, string> = {}) =>
  GET(new Request("http://localhost/api/cron/jobs", { headers }), undefined);

beforeEach(async () => {
  process.env.CRON_SECRET = SECRET;
  resetEnvCache();
  await (await getDb()).delete(outboundEmails);
});

describe("GET /api/cron/jobs", () => {
  it("refuses a call without the secret, with another secret, another scheme or a hostile header", async () => {
    const db = await getDb();
    await enqueueEmail(db, { to: "nobody@example.com", subject: "s", body: "b" });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: `Basic ${SECRET}` },
      { authorization: `Bearer ${SECRET}x` },
      { authorization: "Bearer " + "A".repeat(20_000) },
      { authorization: `bearer${SECRET}` },
    ];
    for (const headers of attempts) {
      const res = await call(headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "unauthorized" });
    }
    const [row] = await db.select().from(outboundEmails);
    expect(row).toMatchObject({ status: "pending", attempts: 0 }); // nothing was touched
  });

  it("is closed, not open, when CRON_SECRET is unset", async () => {
    delete process.env.CRON_SECRET;
    resetEnvCache();
    const res = await call({ authorization: "Bearer " });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: "not_configured", detail: expect.stringContaining("CRON_SECRET") });
  });

  it("with the secret, sends every queued email and reports the counts", async () => {
    const db = await getDb();
    for (let i = 0; i < 3; i++) await enqueueEmail(db, { to: `r${i}@example.com`, subject: "Reset", body: "link" });
    const res = await call({ authorization: `Bearer ${SECRET}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      kinds: {
        email: { done: 3, retried: 0, failed: 0 },
        "account-cleanup": { done: 0, retried: 0, failed: 0 },
        "memory-files": { done: 0, retried: 0, failed: 0 },
        "stripe-checkout-sweep": { done: 0, retried: 0, failed: 0 },
      },
      outOfTime: false,
    });
    const rows = await db.select().from(outboundEmails).where(eq(outboundEmails.status, "sent"));
    expect(rows).toHaveLength(3);
    // A second run finds nothing left.
    expect(await (await call({ authorization: `Bearer ${SECRET}` })).json()).toMatchObject({
      kinds: { email: { done: 0 } },
    });
  });
});

describe("drainDueJobs", () => {
  it("keeps draining the other kinds when one fails, and stops at the budget", async () => {
    const db = await getDb();
    const ran: string[] = [];
    const kind = (name: string, fail = false): JobKind => ({
      name,
      async runDue() {
        ran.push(name);
        if (fail) throw new Error(`${name} table is locked`);
        return { done: 1, retried: 0, failed: 0 };
      },
    });
    const report = await drainDueJobs(db, { budgetMs: 5000, kinds: [kind("a", true), kind("b")] });
    expect(report).toEqual({
      kinds: { a: { error: "a table is locked" }, b: { done: 1, retried: 0, failed: 0 } },
      outOfTime: false,
    });
    ran.length = 0;
    const spent = await drainDueJobs(db, { budgetMs: 0, kinds: [kind("a"), kind("b")] });
    expect(spent).toEqual({ kinds: {}, outOfTime: true });
    expect(ran).toEqual([]);
  });

  it("leaves emails queued once the deadline has passed", async () => {
    const db = await getDb();
    await enqueueEmail(db, { to: "late@example.com", subject: "s", body: "b" });
    const report = await drainDueJobs(db, { budgetMs: 0 });
    expect(report.outOfTime).toBe(true);
    const [row] = await db.select().from(outboundEmails);
    expect(row?.status).toBe("pending");
  });
});
