"use client";

import { useEffect, useRef } from "react";
import type { FactsController } from "./use-facts";

/** The saved facts: loading, error (with retry), empty and list states, each fact removable with undo. */
export function FactsPanel({ controller }: { controller: FactsController }) {
  const { state, removed, actionError } = controller;
  // A fact removed from here takes its button with it: the focus moves to Undo, not to the page.
  const removing = useRef(false);
  const undoButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (removed && removing.current) undoButton.current?.focus();
    removing.current = false;
    // When the undo offer expires (or is used) with the focus on it, the focus stays in the panel.
    const panelHeading = heading.current;
    return () => {
      if (document.activeElement === document.body) panelHeading?.focus();
    };
  }, [removed]);
  return (
    <section
      aria-labelledby="facts-heading"
      data-testid="facts-panel"
      data-status={state.status}
      className="flex min-h-0 flex-col rounded-xl border border-[var(--border)] bg-[var(--card)]"
    >
      <div className="flex items-center justify-between gap-2 border-b border-[var(--border)] px-4 py-3">
        <h2 id="facts-heading" ref={heading} tabIndex={-1} className="font-semibold">
          Saved facts
          {state.status === "ready" && state.facts.length > 0 && (
            <span className="ml-2 rounded-full bg-[var(--bg)] px-2 py-0.5 text-xs font-medium text-[var(--muted)]">
              {state.facts.length}
            </span>
          )}
        </h2>
        <button
          type="button"
          onClick={() => void controller.refresh()}
          className="rounded-md px-2 py-1 text-xs font-medium text-[var(--muted)] hover:bg-[var(--bg)] hover:text-[var(--fg)]"
        >
          Refresh
        </button>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto p-3" aria-busy={state.status === "loading"}>
        {state.status === "loading" && (
          <ul aria-label="Loading facts" className="space-y-2">
            {[0, 1, 2].map((i) => (
              <li key={i} className="h-10 animate-pulse rounded-lg bg-[var(--bg)]" />
            ))}
          </ul>
        )}

        {state.status === "error" && (
          <div
            role="alert"
            className="space-y-3 rounded-lg border border-red-300/60 bg-red-50 p-3 text-sm text-red-900 dark:border-red-500/40 dark:bg-red-950/40 dark:text-red-200"
          >
            <p>Your facts could not be loaded. {state.error}</p>
            <button type="button" onClick={() => void controller.refresh()} className="font-semibold underline">
              Try again
            </button>
          </div>
        )}

        {state.status === "ready" && state.error && (
          <p role="status" className="mb-2 text-xs text-[var(--muted)]">
            Showing the last list; refreshing failed: {state.error}
          </p>
        )}

        {state.status === "ready" && state.facts.length === 0 && (
          <div data-testid="facts-empty" className="px-2 py-6 text-center text-sm text-[var(--muted)]">
            <p className="font-medium text-[var(--fg)]">No saved facts yet.</p>
            <p className="mt-1">Tell the assistant something about yourself, then press Save on the card it shows.</p>
          </div>
        )}

        {state.status === "ready" && state.facts.length > 0 && (
          <ul className="space-y-2" data-testid="facts-list">
            {state.facts.map((fact, index) => (
              <li
                key={fact.id}
                data-fact-id={fact.id}
                className="group flex items-start gap-2 rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-sm"
              >
                <span className="min-w-0 flex-1 break-words">{fact.text}</span>
                <button
                  type="button"
                  onClick={() => {
                    removing.current = true;
                    void controller.discard(fact, index);
                  }}
                  aria-label={`Remove fact: ${fact.text}`}
                  title="Remove"
                  className="-mr-1 shrink-0 rounded-md p-1 text-[var(--muted)] hover:bg-[var(--card)] hover:text-red-600 focus-visible:outline-2 focus-visible:outline-[var(--accent)]"
                >
                  <svg
                    aria-hidden
                    viewBox="0 0 24 24"
                    className="h-4 w-4"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="2"
                  >
                    <path d="M6 6l12 12M18 6L6 18" strokeLinecap="round" />
                  </svg>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>

      {/* Always present, so what appears in it is announced (a live region added with its text may not be). */}
      <div
        role="status"
        className={removed || actionError ? "border-t border-[var(--border)] px-4 py-2 text-sm" : undefined}
      >
        {removed && (
          <div className="flex items-center gap-3" data-testid="undo-bar">
            <span className="min-w-0 flex-1 truncate">Removed “{removed.fact.text}”.</span>
            <button
              ref={undoButton}
              type="button"
              onClick={() => void controller.undo()}
              className="font-semibold text-[var(--accent)] hover:underline"
            >
              Undo
            </button>
          </div>
        )}
        {actionError && (
          <div className="flex items-center gap-3 text-red-700 dark:text-red-300">
            <span className="flex-1">{actionError}</span>
            <button type="button" onClick={controller.dismissActionError} className="text-xs underline">
              Dismiss
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
