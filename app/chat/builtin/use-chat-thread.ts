"use client";

/**
 * The open thread of the built-in chat: sends requests through the ChatKit client, folds the
 * streamed events into a ThreadView (at most once per frame, so a fast reply never renders
 * per delta), answers the assistant's client tool calls, and reports what the page must hear
 * (a new thread, a finished turn, a title change).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  applyEvent,
  applyRequest,
  createChatKitClient,
  emptyThreadView,
  endStream,
  isAbortError,
  itemsFeedback,
  itemsList,
  takeEffects,
  threadsAddClientToolOutput,
  threadsAddUserMessage,
  threadsCreate,
  threadsCustomAction,
  threadsGetById,
  threadsRetryAfterItem,
  threadsUpdate,
  threadViewFrom,
  ChatKitHttpError,
  type ThreadView,
} from "@/lib/chatkit-client";
import type { ClientToolCallItem, FeedbackKind, StreamingReq, ThreadItem, ThreadMetadata } from "@/lib/chatkit/types";
import { chatErrorOf } from "@/lib/ui/chat-errors";
import { CHATKIT_API_URL } from "@/lib/ui/chatkit-options";
import { loadingScope, actionToSend, type WidgetActionConfig } from "@/lib/ui/widget-actions";
import type { PendingAction } from "./widgets/widget-view";

export type ChatThreadDeps = {
  fetchImpl: typeof fetch;
  /** Runs a client tool call in the page; its result goes back to the server. */
  onClientTool: (call: { name: string; params: Record<string, unknown> }) => Record<string, unknown>;
  /** A widget action with `handler: "client"`. */
  onClientAction?: (action: { type: string; payload?: unknown }, itemId: string) => void;
  /** A turn ended (facts may have been saved or discarded). */
  onTurnEnd: () => void;
  /** The open thread changed (created, opened, renamed by the server, closed). */
  onThreadChange: (thread: ThreadMetadata | null) => void;
};

export type LoadState = { status: "idle" } | { status: "loading"; threadId: string } | { status: "missing" };

export function useChatThread(deps: ChatThreadDeps) {
  const client = useMemo(() => createChatKitClient({ url: CHATKIT_API_URL, fetch: deps.fetchImpl }), [deps.fetchImpl]);
  const [view, setView] = useState<ThreadView>(emptyThreadView);
  const [load, setLoad] = useState<LoadState>({ status: "idle" });
  const [pendingAction, setPendingAction] = useState<{ itemId: string; action: PendingAction } | null>(null);
  const viewRef = useRef(view);
  const abortRef = useRef<AbortController | null>(null);
  const frame = useRef<number | null>(null);
  const answeredCalls = useRef(new Set<string>());
  const depsRef = useRef(deps);
  useEffect(() => {
    depsRef.current = deps;
  });

  /** Commits the latest view to React at most once per frame. */
  const flush = useCallback(() => {
    frame.current = null;
    setView(viewRef.current);
  }, []);
  const update = useCallback(
    (next: ThreadView, immediate = false) => {
      viewRef.current = next;
      if (immediate) {
        if (frame.current !== null) cancelAnimationFrame(frame.current);
        flush();
      } else if (frame.current === null) {
        frame.current = requestAnimationFrame(flush);
      }
    },
    [flush],
  );
  useEffect(
    () => () => {
      abortRef.current?.abort();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const threadId = view.thread?.id ?? null;

  /** The request answering the client tool call the server waits for, once per call; null if none. */
  const toolAnswer = useCallback((): StreamingReq | null => {
    const current = viewRef.current;
    const call: ClientToolCallItem | null = current.pendingClientToolCall;
    const id = current.thread?.id;
    if (!call || !id || current.error || answeredCalls.current.has(call.call_id)) return null;
    answeredCalls.current.add(call.call_id);
    let result: Record<string, unknown>;
    try {
      result = depsRef.current.onClientTool({ name: call.name, params: call.arguments });
    } catch (err) {
      result = { success: false, error: err instanceof Error ? err.message : "The tool failed in the browser." };
    }
    return threadsAddClientToolOutput(id, result);
  }, []);

  /** Sends a streaming request and follows it; a client tool call at its end is answered in turn. */
  const run = useCallback(
    async (first: StreamingReq): Promise<void> => {
      let req: StreamingReq | null = first;
      while (req) {
        abortRef.current?.abort();
        const controller = new AbortController();
        abortRef.current = controller;
        update(applyRequest(viewRef.current, req), true);
        let known = viewRef.current.thread;
        let failure = null;
        let requestId: string | undefined;
        const onRequestId = (id: string) => (requestId = id);
        try {
          for await (const event of client.stream(req, { signal: controller.signal, onRequestId })) {
            update(applyEvent(viewRef.current, event));
            const thread = viewRef.current.thread;
            if (thread && (thread.id !== known?.id || thread.title !== known?.title)) {
              known = thread;
              depsRef.current.onThreadChange(thread);
            }
          }
        } catch (err) {
          // Stop aborts on purpose; a 401 is already on its way to sign-in (the authed fetch).
          const aborted = controller.signal.aborted || isAbortError(err);
          if (!aborted && !(err instanceof ChatKitHttpError && err.status === 401)) failure = chatErrorOf(err);
        }
        // Superseded by a newer request (or stopped), which owns the view now.
        if (abortRef.current !== controller) return;
        abortRef.current = null;
        update(takeEffects(endStream(viewRef.current, failure, requestId)), true);
        depsRef.current.onTurnEnd();
        req = failure ? null : toolAnswer();
      }
    },
    [client, update, toolAnswer],
  );

  const send = useCallback(
    async (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      const id = viewRef.current.thread?.id;
      await run(id ? threadsAddUserMessage(id, trimmed) : threadsCreate(trimmed));
    },
    [run],
  );

  const stop = useCallback(() => {
    const controller = abortRef.current;
    if (!controller) return;
    abortRef.current = null;
    controller.abort();
    update(endStream(viewRef.current), true);
    setPendingAction(null);
    depsRef.current.onTurnEnd();
  }, [update]);

  /** Retry the last turn: everything after the newest user message is replaced by a new reply. */
  const retry = useCallback(async () => {
    const current = viewRef.current;
    const id = current.thread?.id;
    const lastUser = [...current.items].reverse().find((i) => i.type === "user_message");
    if (!id) return;
    if (!lastUser) return;
    await run(threadsRetryAfterItem(id, lastUser.id));
  }, [run]);

  const act = useCallback(
    async (itemId: string, config: WidgetActionConfig, key: string, values?: Record<string, unknown>) => {
      const action = actionToSend(config, values);
      if (config.handler === "client") {
        depsRef.current.onClientAction?.(action, itemId);
        return;
      }
      const id = viewRef.current.thread?.id;
      if (!id) return;
      setPendingAction({ itemId, action: { key, scope: loadingScope(config) } });
      try {
        await run(threadsCustomAction(id, itemId, action));
      } finally {
        setPendingAction((p) => (p?.itemId === itemId ? null : p));
      }
    },
    [run],
  );

  const feedback = useCallback(
    async (itemIds: string[], kind: FeedbackKind) => {
      const id = viewRef.current.thread?.id;
      if (!id) return false;
      try {
        await client.json(itemsFeedback(id, itemIds, kind));
        return true;
      } catch {
        return false;
      }
    },
    [client],
  );

  /** Opens a stored thread (all its items, page by page); a thread that is gone leaves an empty chat. */
  const open = useCallback(
    async (id: string) => {
      abortRef.current?.abort();
      abortRef.current = null;
      setPendingAction(null);
      setLoad({ status: "loading", threadId: id });
      try {
        let next = threadViewFrom(await client.json(threadsGetById(id)));
        while (next.hasMoreItems && next.itemsAfter) {
          const page = await client.json(itemsList(id, { after: next.itemsAfter, order: "asc", limit: 100 }));
          const items: ThreadItem[] = page.data.filter(
            (i) => i.type !== "hidden_context_item" && i.type !== "sdk_hidden_context",
          );
          next = {
            ...next,
            items: [...next.items, ...items],
            hasMoreItems: page.has_more,
            itemsAfter: page.after ?? null,
          };
        }
        update(next, true);
        setLoad({ status: "idle" });
        depsRef.current.onThreadChange(next.thread);
        // A reload in the middle of a client tool call: answer it now so the turn completes.
        const answer = toolAnswer();
        if (answer) await run(answer);
      } catch (err) {
        if (err instanceof ChatKitHttpError && err.status === 401) return;
        update(emptyThreadView(), true);
        setLoad(err instanceof ChatKitHttpError && err.status === 404 ? { status: "missing" } : { status: "idle" });
        if (!(err instanceof ChatKitHttpError && err.status === 404)) {
          update(endStream(emptyThreadView(), chatErrorOf(err)), true);
        }
        depsRef.current.onThreadChange(null);
      }
    },
    [client, update, toolAnswer, run],
  );

  const reset = useCallback(() => {
    abortRef.current?.abort();
    abortRef.current = null;
    setPendingAction(null);
    setLoad({ status: "idle" });
    update(emptyThreadView(), true);
    depsRef.current.onThreadChange(null);
  }, [update]);

  /** The open thread was renamed from the history list: its title follows. */
  const retitle = useCallback(
    (id: string, title: string) => update(applyRequest(viewRef.current, threadsUpdate(id, title)), true),
    [update],
  );

  const dismissError = useCallback(() => update({ ...viewRef.current, error: null }, true), [update]);

  return { view, threadId, load, pendingAction, send, stop, retry, act, feedback, open, reset, retitle, dismissError };
}
