"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "@/lib/ui/api";
import { discardFact, fetchFacts, restoreFact, type FactItem } from "@/lib/ui/facts-client";

export type FactsState = {
  status: "loading" | "ready" | "error";
  facts: FactItem[];
  /** Set when the last load failed; with status "ready" the list shown is the previous one. */
  error: string | null;
};

export type Removed = { fact: FactItem; index: number };

const UNDO_MS = 8000;

function message(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

/**
 * The saved facts beside the chat. Every change bumps a sequence number so an answer to an
 * older request never overwrites a newer state (e.g. a refresh racing a discard).
 */
export function useFacts(fetchImpl: typeof fetch) {
  const [state, setState] = useState<FactsState>({ status: "loading", facts: [], error: null });
  const [removed, setRemoved] = useState<Removed | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const id = ++seq.current;
    try {
      const facts = await fetchFacts(fetchImpl);
      if (id === seq.current) setState({ status: "ready", facts, error: null });
    } catch (error) {
      if (id !== seq.current || (error instanceof ApiError && error.status === 401)) return; // sign-in redirect under way
      const text = message(error, "Could not load your facts.");
      setState((prev) => ({ ...prev, status: prev.status === "ready" ? "ready" : "error", error: text }));
    }
  }, [fetchImpl]);

  useEffect(() => {
    // First load when the page mounts; afterwards the chat's events ask for refreshes.
    void Promise.resolve().then(refresh);
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [refresh]);

  // The undo offer expires on its own.
  useEffect(() => {
    if (!removed) return;
    const timer = window.setTimeout(() => setRemoved(null), UNDO_MS);
    return () => window.clearTimeout(timer);
  }, [removed]);

  const discard = useCallback(
    /** `index`: where the fact stood, so an undo puts it back in place. */
    async (fact: FactItem, index: number) => {
      seq.current++;
      setActionError(null);
      setState((prev) => ({ ...prev, facts: prev.facts.filter((f) => f.id !== fact.id) }));
      try {
        await discardFact(fetchImpl, fact.id);
        setRemoved({ fact, index });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          setActionError(message(error, "Could not remove the fact."));
        }
      }
      await refresh();
    },
    [fetchImpl, refresh],
  );

  const undo = useCallback(async () => {
    if (!removed) return;
    setRemoved(null);
    setActionError(null);
    seq.current++;
    setState((prev) => {
      const facts = prev.facts.filter((f) => f.id !== removed.fact.id);
      facts.splice(removed.index < 0 ? facts.length : Math.min(removed.index, facts.length), 0, removed.fact);
      return { ...prev, facts };
    });
    try {
      await restoreFact(fetchImpl, removed.fact.id);
    } catch (error) {
      setActionError(message(error, "Could not restore the fact."));
    }
    await refresh();
  }, [fetchImpl, refresh, removed]);

  /** A fact the assistant reported through the `record_fact` client tool: shown at once. */
  const recordLocal = useCallback((fact: { id: string; text: string }) => {
    setState((prev) =>
      prev.facts.some((f) => f.id === fact.id)
        ? prev
        : {
            ...prev,
            status: "ready",
            facts: [...prev.facts, { ...fact, status: "saved", createdAt: new Date().toISOString() }],
          },
    );
  }, []);

  return {
    state,
    removed,
    actionError,
    refresh,
    discard,
    undo,
    recordLocal,
    dismissRemoved: () => setRemoved(null),
    dismissActionError: () => setActionError(null),
  };
}

export type FactsController = ReturnType<typeof useFacts>;
