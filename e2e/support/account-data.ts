/**
 * Test helper: gives a user a little of everything the app stores (facts in every status,
 * a thread with items and feedback, an uploaded attachment, a hosted-session record, a queued
 * email, a reset token, rate-limit counters, a linked Google identity), so export and deletion
 * tests can check each table. Rows are written directly; nothing here calls Stripe or OpenAI.
 */
import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import {
  chatkitAttachments,
  chatkitFeedback,
  chatkitItems,
  chatkitSessions,
  chatkitThreads,
  facts,
  oauthAccounts,
  outboundEmails,
  passwordResetTokens,
  rateLimits,
} from "@/db/schema";
import { accountRateLimitPatterns } from "@/lib/auth/rate-limits";

export type SeededAccount = {
  factIds: { pending: string; saved: string; discarded: string };
  factTexts: string[];
  threadId: string;
  itemIds: string[];
  attachmentId: string;
  hostedSessionId: string;
  marker: string;
};

const hex = (n: number) => randomBytes(n).toString("hex");

export async function seedAccountData(user: { id: string; email: string }): Promise<SeededAccount> {
  const db = await getDb();
  const marker = `m${hex(6)}`;
  const factIds = { pending: `fact_${hex(16)}`, saved: `fact_${hex(16)}`, discarded: `fact_${hex(16)}` };
  const threadId = `thr_${hex(8)}`;
  const itemIds = [`msg_${hex(8)}`, `msg_${hex(8)}`];
  const factTexts = [`User likes ${marker} tea`, `User lives in ${marker}ville`, `User is a ${marker} nurse`];
  await db.insert(facts).values([
    { id: factIds.pending, userId: user.id, text: factTexts[0]!, status: "pending", threadId },
    { id: factIds.saved, userId: user.id, text: factTexts[1]!, status: "saved", threadId },
    { id: factIds.discarded, userId: user.id, text: factTexts[2]!, status: "discarded", threadId },
  ]);
  const at = new Date();
  await db.insert(chatkitThreads).values({
    id: threadId,
    userId: user.id,
    createdAt: at,
    data: { id: threadId, title: `Chat about ${marker}`, created_at: at.toISOString(), status: { type: "active" } },
  });
  await db.insert(chatkitItems).values(
    itemIds.map((id, i) => ({
      threadId,
      id,
      userId: user.id,
      type: i === 0 ? "user_message" : "assistant_message",
      createdAt: new Date(at.getTime() + i),
      data: { id, thread_id: threadId, type: i === 0 ? "user_message" : "assistant_message", text: `${marker} #${i}` },
    })),
  );
  await db.insert(chatkitFeedback).values({ userId: user.id, threadId, itemId: itemIds[1]!, kind: "positive" });
  const attachmentId = `atc_${hex(8)}`;
  await db.insert(chatkitAttachments).values({
    id: attachmentId,
    userId: user.id,
    threadId,
    mimeType: "text/plain",
    name: `${marker}.txt`,
    declaredSize: 11,
    data: { id: attachmentId, type: "file", name: `${marker}.txt`, mime_type: "text/plain" },
    bytes: Buffer.from(`secret ${marker}`),
    uploadedAt: at,
  });
  const hostedSessionId = `cksess_${hex(8)}`;
  await db.insert(chatkitSessions).values({ id: hostedSessionId, userId: user.id, workflowId: "wf_test" });
  await db.insert(outboundEmails).values({
    toAddress: user.email,
    subject: `Hello ${marker}`,
    body: "queued",
    metadata: { kind: "test", user_id: user.id },
  });
  await db
    .insert(passwordResetTokens)
    .values({ userId: user.id, tokenHash: hex(32), expiresAt: new Date(Date.now() + 3600_000) });
  await db.insert(oauthAccounts).values({
    userId: user.id,
    provider: "google",
    providerAccountId: `g-${hex(6)}`,
    email: user.email,
  });
  // One counter per kind of bucket that names the account.
  const [, byEmail] = accountRateLimitPatterns(user);
  const window = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const expires = new Date(window.getTime() + 3600_000);
  await db.insert(rateLimits).values([
    { bucket: `chatkit-session:${user.id}`, windowStart: window, count: 1, expiresAt: expires },
    { bucket: byEmail!.replace("%", "login"), windowStart: window, count: 1, expiresAt: expires },
  ]);
  return { factIds, factTexts, threadId, itemIds, attachmentId, hostedSessionId, marker };
}
