/**
 * The outbound email queue: writers add rows (inside their own transaction); a short drain right
 * after the response delivers them, and the cron route or a worker catches whatever it leaves.
 */
import "server-only";
import type { Queryable } from "@/db/types";
import { drainJobsAfterResponse } from "@/lib/jobs";
import { outboundEmails, type OutboundEmail } from "@/db/schema";

export type EmailMessage = {
  to: string;
  subject: string;
  body: string;
  metadata?: Record<string, unknown>;
};

/**
 * Queues one email. Pass the caller's transaction so the email exists exactly when the change
 * that caused it is committed.
 */
export async function enqueueEmail(db: Queryable, message: EmailMessage): Promise<OutboundEmail> {
  const [row] = await db
    .insert(outboundEmails)
    .values({
      toAddress: message.to,
      subject: message.subject,
      body: message.body,
      metadata: message.metadata ?? {},
    })
    .returning();
  if (!row) throw new Error("insert into outbound_emails returned nothing");
  // Runs after the response, so after the caller's transaction has committed.
  drainJobsAfterResponse();
  return row;
}
