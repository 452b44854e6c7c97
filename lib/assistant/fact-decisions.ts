/**
 * Save or discard a fact: the one path shared by the widget buttons and the REST endpoints,
 * so both change the same rows and agree. A real change also settles the fact's card in its
 * thread (no more buttons, survives reloads), tells the model through hidden context, and
 * copies a saved fact to the user's vector store (or has a discarded fact's copy removed).
 */
import "server-only";
import { NotFoundError } from "@/lib/chatkit/errors";
import { nowIso } from "@/lib/chatkit/store";
import type { ThreadMetadata, WidgetItem } from "@/lib/chatkit/types";
import { findFact, setFactStatus, type Transition } from "@/lib/facts/repository";
import { notFound } from "@/lib/http";
import { drainJobsAfterResponse } from "@/lib/jobs";
import type { Fact } from "@/db/schema";
import { settledFactCard } from "./fact-widget";
import { syncSavedFactsToMemory } from "./memory-sync";
import { chatStore } from "./store";
import { logger } from "@/lib/observability/logger";

const log = logger.child({ component: "memory" });

export type FactDecision = "saved" | "discarded";
export type Decided = Transition & { settledWidget?: WidgetItem };

type Ctx = { userId: string };

/** The fact's card in `thread`, settled as the fact now stands (no more buttons); undefined when it has none. */
async function writeSettledCard(thread: ThreadMetadata, fact: Fact, ctx: Ctx): Promise<WidgetItem | undefined> {
  if (!fact.widgetItemId) return undefined;
  const item = await chatStore.loadItem(thread.id, fact.widgetItemId, ctx);
  if (item.type !== "widget") return undefined;
  const settled: WidgetItem = { ...item, widget: settledFactCard(fact) };
  await chatStore.saveItem(thread.id, settled, ctx);
  return settled;
}

/** Tells the model, in the fact's thread, what the user decided. */
async function noteDecision(thread: ThreadMetadata, fact: Fact, ctx: Ctx): Promise<void> {
  const verb = fact.status === "saved" ? "saved" : "discarded";
  await chatStore.addThreadItem(
    thread.id,
    {
      type: "hidden_context_item",
      id: chatStore.generateItemId("message", thread, ctx),
      thread_id: thread.id,
      created_at: nowIso(),
      content: `The user ${verb} the proposed fact "${fact.text}" (fact id ${fact.id}).`,
    },
    ctx,
  );
}

/**
 * Settles the card after a change and notes the decision in the thread. Two decisions on one
 * fact at once (two tabs, two instances, the card and the REST endpoint) each change the row and
 * then write the card, and their card writes can land in either order: so after writing, the
 * fact is read again and, if another decision changed it meanwhile, the card is written for
 * where it now stands. Whichever write comes last is followed by such a check, so the card ends
 * as the row does.
 */
async function settleCard(fact: Fact): Promise<WidgetItem | undefined> {
  if (!fact.threadId) return undefined;
  const ctx = { userId: fact.userId };
  try {
    const thread = await chatStore.loadThread(fact.threadId, ctx);
    let settled = await writeSettledCard(thread, fact, ctx);
    await noteDecision(thread, fact, ctx);
    let written = fact.status;
    for (let i = 0; i < 5; i++) {
      const now = await findFact(fact.userId, fact.id);
      if (!now || now.status === written || now.status === "pending") break;
      settled = (await writeSettledCard(thread, now, ctx)) ?? settled;
      written = now.status;
    }
    return settled;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined; // the thread was deleted; the fact stands alone
    throw err;
  }
}

export async function decideFact(userId: string, factId: string, decision: FactDecision): Promise<Decided> {
  const result = await setFactStatus(userId, factId, decision);
  if (!result) throw notFound("Fact not found", "fact_not_found");
  if (!result.changed) return result;
  const settledWidget = await settleCard(result.fact);
  // Saving copies the fact to memory now; either way the memory job then follows up after the
  // response: it learns how indexing went, or removes the file of a fact no longer saved.
  const synced =
    decision === "saved"
      ? await syncSavedFactsToMemory(userId).catch((err: unknown) => {
          log.warn({ err }, "memory sync after save failed");
          return 0;
        })
      : 0;
  if (synced > 0 || result.fact.memoryCheckAt) drainJobsAfterResponse();
  return { ...result, settledWidget };
}
