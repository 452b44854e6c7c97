"use client";

/** The person's threads, newest first, a page at a time; rename and delete go to the server. */
import { useCallback, useMemo, useRef, useState } from "react";
import { ChatKitHttpError, createChatKitClient, threadsDelete, threadsList, threadsUpdate } from "@/lib/chatkit-client";
import type { ThreadMetadata } from "@/lib/chatkit/types";
import { CHATKIT_API_URL } from "@/lib/ui/chatkit-options";

const PAGE = 20;

export type HistoryEntry = Pick<ThreadMetadata, "id" | "title" | "created_at">;
export type HistoryState = {
  status: "idle" | "loading" | "ready" | "error";
  threads: HistoryEntry[];
  after: string | null;
  hasMore: boolean;
  error: string | null;
};

function message(err: unknown, fallback: string): string {
  return err instanceof ChatKitHttpError ? err.detail : fallback;
}

export function useThreadHistory(fetchImpl: typeof fetch) {
  const client = useMemo(() => createChatKitClient({ url: CHATKIT_API_URL, fetch: fetchImpl }), [fetchImpl]);
  const [state, setState] = useState<HistoryState>({
    status: "idle",
    threads: [],
    after: null,
    hasMore: false,
    error: null,
  });
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const id = ++seq.current;
    setState((s) => ({ ...s, status: s.status === "ready" ? "ready" : "loading", error: null }));
    try {
      const page = await client.json(threadsList({ limit: PAGE, order: "desc" }));
      if (id !== seq.current) return;
      setState({ status: "ready", threads: page.data, after: page.after ?? null, hasMore: page.has_more, error: null });
    } catch (err) {
      if (id !== seq.current) return;
      setState((s) => ({
        ...s,
        status: s.status === "ready" ? "ready" : "error",
        error: message(err, "Your chats could not be loaded."),
      }));
    }
  }, [client]);

  const loadMore = useCallback(async () => {
    const after = state.after;
    if (!after) return;
    const id = ++seq.current;
    try {
      const page = await client.json(threadsList({ limit: PAGE, order: "desc", after }));
      if (id !== seq.current) return;
      setState((s) => {
        const known = new Set(s.threads.map((t) => t.id));
        return {
          ...s,
          threads: [...s.threads, ...page.data.filter((t) => !known.has(t.id))],
          after: page.after ?? null,
          hasMore: page.has_more,
          error: null,
        };
      });
    } catch (err) {
      if (id === seq.current) setState((s) => ({ ...s, error: message(err, "More chats could not be loaded.") }));
    }
  }, [client, state.after]);

  /** The open thread changed on its own (created, retitled): shown at once, without a round trip. */
  const upsert = useCallback((entry: HistoryEntry) => {
    setState((s) => {
      const i = s.threads.findIndex((t) => t.id === entry.id);
      if (i < 0) return { ...s, threads: [entry, ...s.threads] };
      if (s.threads[i]!.title === entry.title) return s;
      const threads = s.threads.slice();
      threads[i] = { ...threads[i]!, title: entry.title };
      return { ...s, threads };
    });
  }, []);

  const rename = useCallback(
    async (id: string, title: string): Promise<string | null> => {
      try {
        const thread = await client.json(threadsUpdate(id, title));
        upsert(thread);
        return null;
      } catch (err) {
        return message(err, "The chat could not be renamed.");
      }
    },
    [client, upsert],
  );

  const remove = useCallback(
    async (id: string): Promise<string | null> => {
      try {
        await client.json(threadsDelete(id));
        setState((s) => ({ ...s, threads: s.threads.filter((t) => t.id !== id) }));
        return null;
      } catch (err) {
        return message(err, "The chat could not be deleted.");
      }
    },
    [client],
  );

  return { state, refresh, loadMore, upsert, rename, remove };
}

export type ThreadHistory = ReturnType<typeof useThreadHistory>;
