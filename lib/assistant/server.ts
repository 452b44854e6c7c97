/**
 * The fact assistant: our ChatKitServer. `respond` streams an OpenAI Responses call through the
 * library's converter and runs the tool loop (`save_fact` on the server, `switch_theme` in the
 * browser); `action` handles the Save / Discard buttons of the fact card.
 */
import "server-only";
import type OpenAI from "openai";
import type { ResponseFunctionToolCall, ResponseInputItem } from "openai/resources/responses/responses";
import { z } from "zod";
import { CustomStreamError } from "@/lib/chatkit/errors";
import { ResponsesStreamConverter } from "@/lib/chatkit/responses";
import { ChatKitServer, type RunControl } from "@/lib/chatkit/server";
import { nowIso } from "@/lib/chatkit/store";
import type {
  Action,
  FeedbackKind,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
  UserMessageItem,
  WidgetItem,
} from "@/lib/chatkit/types";
import { createPendingFact, findFact } from "@/lib/facts/repository";
import { getEnv } from "@/lib/env";
import { openaiClient } from "@/lib/openai";
import { MODEL_FAILED_MESSAGE, NOT_CONFIGURED_MESSAGE, TURN_TOO_LONG_MESSAGE } from "./constants";
import type { AssistantContext } from "./context";
import { decideFact } from "./fact-decisions";
import { FACT_ACTIONS, pendingFactCard, settledFactCard } from "./fact-widget";
import { trimHistory } from "./history";
import { AssistantInputConverter } from "./input-converter";
import { recordFeedback } from "./feedback";
import { syncSavedFactsInBackground } from "./memory-sync";
import { modelErrorClass, openModelStream } from "./model-stream";
import { logger } from "@/lib/observability/logger";
import { noteRequest } from "@/lib/observability/request-context";
import { recordModelError, recordQuotaRefusal } from "@/lib/observability/metrics";
import { AssistantAttachmentStore } from "./attachments";
import { chatStore } from "./store";
import { titleFromMessage } from "./title";
import { readTurnSetup, type TurnSetup } from "./turn-setup";
import { CLIENT_TOOLS, SAVE_FACT, saveFactArgsSchema } from "./tools";

/** How many recent items of the thread the model sees (oldest first). */
export const HISTORY_WINDOW = 30;
/** Model calls per turn at most: the first answer plus rounds after server tool calls. */
const MAX_MODEL_ROUNDS = 4;

const factActionSchema = z.object({
  type: z.enum([FACT_ACTIONS.save, FACT_ACTIONS.discard]),
  payload: z.object({ fact_id: z.string().max(100) }),
});

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class FactAssistantServer extends ChatKitServer<AssistantContext, TurnSetup> {
  override readonly historyLimit = HISTORY_WINDOW;

  /** The saved facts for the instructions and the turn's count against the quota: one statement. */
  override prepareTurn(ctx: AssistantContext): Promise<TurnSetup> {
    // Without a model there is no turn to count (respond says so instead).
    return readTurnSetup(ctx.userId, openaiClient() !== undefined);
  }

  /** A new thread is named after its first message (shown at once, stored with the thread). */
  override newThreadTitle(message: UserMessageItem): string | undefined {
    return titleFromMessage(message);
  }

  async *respond(
    thread: ThreadMetadata,
    input: UserMessageItem | null,
    ctx: AssistantContext,
    run: RunControl<TurnSetup>,
  ): AsyncGenerator<ThreadStreamEvent> {
    if (input && !thread.title) thread.title = titleFromMessage(input);
    const client = openaiClient();
    if (!client) throw new CustomStreamError(NOT_CONFIGURED_MESSAGE, { allowRetry: false });
    const { instructions, quota } = run.turn;
    if (!quota.allowed) {
      noteRequest({ outcome: "quota_refused", errorClass: quota.reason });
      recordQuotaRefusal(quota.reason);
      throw new CustomStreamError(quota.message, { allowRetry: quota.reason === "rate" });
    }
    const recent = run.history ?? (await this.store.loadThreadItems(thread.id, null, HISTORY_WINDOW, "desc", ctx)).data;
    const modelInput = trimHistory(
      await new AssistantInputConverter(ctx).toAgentInput([...recent].reverse()),
      getEnv().limits.historyMaxChars,
    );

    try {
      for (let round = 0; round < MAX_MODEL_ROUNDS; round++) {
        if (run.signal.aborted) return;
        const converter = new ResponsesStreamConverter({
          thread,
          store: this.store,
          context: ctx,
          clientTools: CLIENT_TOOLS,
          recentItems: round === 0 ? recent.slice(0, 2) : [],
          liveContextEvents: false, // nothing pushes events while the model streams
          textDeltas: run.textDeltas,
        });
        yield* this.relayModelTurn(client, converter, instructions, modelInput, run, ctx.deadline);
        const saveCalls = converter.functionCalls.filter((call) => call.name === SAVE_FACT);
        if (saveCalls.length === 0 || converter.clientToolCall) return;
        for (const call of saveCalls) {
          const output = yield* this.saveFact(call, thread, ctx);
          modelInput.push(
            { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
            { type: "function_call_output", call_id: call.call_id, output },
          );
        }
      }
    } finally {
      // Facts whose copy to the vector store failed earlier get another try, after the reply.
      if (run.turn.unsyncedFacts) syncSavedFactsInBackground(ctx.userId);
    }
  }

  /**
   * One model call through the converter; a failure ends the turn with a retryable error. The
   * turn's deadline stops the model call too: the text so far is kept (handleStreamError) and the
   * turn ends with a retryable error, before the platform's own limit would cut the stream.
   */
  private async *relayModelTurn(
    client: OpenAI,
    converter: ResponsesStreamConverter<AssistantContext>,
    instructions: string,
    input: ResponseInputItem[],
    run: RunControl<TurnSetup>,
    deadline: AbortSignal | undefined,
  ): AsyncGenerator<ThreadStreamEvent> {
    const outOfTime = () => !run.signal.aborted && deadline?.aborted === true;
    const tooLong = () => {
      noteRequest({ outcome: "model_error", errorClass: "turn_deadline" });
      recordModelError("turn_deadline");
      return new CustomStreamError(TURN_TOO_LONG_MESSAGE, { allowRetry: true });
    };
    if (outOfTime()) throw tooLong();
    const signal = deadline ? AbortSignal.any([run.signal, deadline]) : run.signal;
    try {
      yield* converter.convert(await openModelStream(client, { instructions, input, signal }));
    } catch (err) {
      if (outOfTime()) throw tooLong();
      if (run.signal.aborted || err instanceof CustomStreamError) throw err;
      const errorClass = modelErrorClass(err);
      noteRequest({ outcome: "model_error", errorClass });
      recordModelError(errorClass);
      log.warn({ error_class: errorClass, err }, "model call failed");
      throw new CustomStreamError(MODEL_FAILED_MESSAGE, { allowRetry: true });
    }
    // An aborted model stream may end quietly: the deadline still ends the turn as an error.
    if (outOfTime()) throw tooLong();
  }

  /** A failed turn keeps the text its assistant message had received, finished as it stands. */
  override async handleStreamError(_thread: ThreadMetadata, pendingItems: ThreadItem[]): Promise<ThreadItem[]> {
    return pendingItems.filter(
      (item) => item.type === "assistant_message" && item.content.some((part) => part.text.trim() !== ""),
    );
  }

  /** `save_fact`: a pending fact, its confirmation card, and a note for the model. Returns the tool output. */
  private async *saveFact(
    call: ResponseFunctionToolCall,
    thread: ThreadMetadata,
    ctx: AssistantContext,
  ): AsyncGenerator<ThreadStreamEvent, string> {
    const args = saveFactArgsSchema.safeParse(parseJsonObject(call.arguments));
    if (!args.success)
      return JSON.stringify({ error: "The fact must be a non-empty string of at most 500 characters." });
    const widgetId = this.store.generateItemId("message", thread, ctx);
    const fact = await createPendingFact({
      userId: ctx.userId,
      text: args.data.fact,
      threadId: thread.id,
      widgetItemId: widgetId,
    });
    const card: WidgetItem = {
      type: "widget",
      id: widgetId,
      thread_id: thread.id,
      created_at: nowIso(),
      widget: pendingFactCard(fact),
      copy_text: fact.text,
    };
    yield { type: "thread.item.done", item: card };
    // Stored, never shown: tells the model in later turns what this card was.
    yield {
      type: "thread.item.done",
      item: {
        type: "hidden_context_item",
        id: this.store.generateItemId("message", thread, ctx),
        thread_id: thread.id,
        created_at: nowIso(),
        content: `A confirmation card (item ${widgetId}) asked the user to save or discard the fact "${fact.text}" (fact id ${fact.id}).`,
      },
    };
    return JSON.stringify({ status: "awaiting_user_confirmation", fact_id: fact.id, fact: fact.text });
  }

  async *action(
    _thread: ThreadMetadata,
    action: Action,
    sender: WidgetItem | null,
    ctx: AssistantContext,
  ): AsyncGenerator<ThreadStreamEvent> {
    const parsed = factActionSchema.safeParse(action);
    if (!parsed.success || !sender) throw new CustomStreamError("This action is not supported.");
    const fact = await findFact(ctx.userId, parsed.data.payload.fact_id);
    // The payload is client input: it must name a fact of this user shown by this very card.
    if (!fact || fact.widgetItemId !== sender.id)
      throw new CustomStreamError("This card does not belong to a fact of yours.");
    const decision = parsed.data.type === FACT_ACTIONS.save ? "saved" : "discarded";
    // A card acted on before keeps its outcome: acting twice changes nothing.
    const decided =
      fact.status === "pending" ? await decideFact(ctx.userId, fact.id, decision) : { fact, changed: false };
    const settled = ("settledWidget" in decided && decided.settledWidget) || {
      ...sender,
      widget: settledFactCard(decided.fact),
    };
    yield { type: "thread.item.replaced", item: settled };
  }

  async addFeedback(threadId: string, itemIds: string[], kind: FeedbackKind, ctx: AssistantContext): Promise<void> {
    await recordFeedback(ctx.userId, threadId, itemIds, kind);
  }
}

const log = logger.child({ component: "assistant" });

// Read at each request, so configuration is parsed only when the server is first used.
const inputBounds = {
  get maxMessageChars() {
    return getEnv().limits.messageMaxChars;
  },
  get maxTitleChars() {
    return getEnv().limits.titleMaxChars;
  },
};

export const assistantServer = new FactAssistantServer(chatStore, new AssistantAttachmentStore(), inputBounds);
