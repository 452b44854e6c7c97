"use client";

import { useState } from "react";
import { Icon } from "./icons";
import type { HistoryEntry, ThreadHistory } from "./use-thread-history";

const dateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function label(entry: HistoryEntry): string {
  return entry.title?.trim() || "New chat";
}

/** The person's chats: open one, rename it in place, delete it (after a confirmation), page on. */
export function HistoryPanel({
  history,
  currentId,
  onOpen,
  onNew,
  onDeleted,
  onRenamed,
}: {
  history: ThreadHistory;
  currentId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
  onRenamed: (id: string, title: string) => void;
}) {
  const { state } = history;
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  return (
    <nav
      aria-label="Chat history"
      data-testid="chat-history"
      data-status={state.status}
      className="flex h-full min-h-0 flex-col"
    >
      <div className="p-2">
        <button
          type="button"
          onClick={onNew}
          data-testid="new-chat"
          className="flex w-full items-center gap-2 rounded-lg border border-[var(--border)] px-3 py-2 text-sm font-medium hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)]"
        >
          <Icon name="plus" />
          New chat
        </button>
      </div>
      <h2 className="px-4 pt-1 pb-1 text-xs font-semibold tracking-wide text-[var(--muted)] uppercase">Recent</h2>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
        {state.status === "loading" && (
          <ul aria-label="Loading chats" className="space-y-1.5 p-1">
            {[0, 1, 2, 3].map((i) => (
              <li key={i} className="h-8 animate-pulse rounded-md bg-[var(--bg)]" />
            ))}
          </ul>
        )}
        {state.status === "error" && (
          <div role="alert" className="space-y-2 p-2 text-sm text-red-700 dark:text-red-300">
            <p>{state.error}</p>
            <button type="button" className="font-semibold underline" onClick={() => void history.refresh()}>
              Try again
            </button>
          </div>
        )}
        {state.status === "ready" && state.threads.length === 0 && (
          <p className="px-2 py-3 text-sm text-[var(--muted)]">No chats yet. Your conversations will be listed here.</p>
        )}
        <ul className="space-y-0.5">
          {state.threads.map((entry) => (
            <li key={entry.id} data-thread-id={entry.id} className="group relative">
              {editing === entry.id ? (
                <form
                  className="flex gap-1 p-1"
                  onSubmit={async (event) => {
                    event.preventDefault();
                    const title = String(new FormData(event.currentTarget).get("title") ?? "").trim();
                    if (!title) return;
                    const error = await history.rename(entry.id, title);
                    setProblem(error);
                    if (!error) {
                      setEditing(null);
                      onRenamed(entry.id, title);
                    }
                  }}
                >
                  <label className="sr-only" htmlFor={`rename-${entry.id}`}>
                    New name for {label(entry)}
                  </label>
                  <input
                    id={`rename-${entry.id}`}
                    name="title"
                    autoFocus
                    maxLength={200}
                    defaultValue={entry.title ?? ""}
                    onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
                    className="min-w-0 flex-1 rounded-md border border-[var(--border)] bg-[var(--card)] px-2 py-1 text-sm focus:border-[var(--accent)] focus:outline-none"
                  />
                  <button type="submit" className="rounded-md px-2 text-sm font-medium text-[var(--accent)]">
                    Save
                  </button>
                </form>
              ) : confirming === entry.id ? (
                <div
                  className="flex items-center gap-2 rounded-md bg-[var(--bg)] px-2 py-1.5 text-sm"
                  role="group"
                  aria-label="Confirm delete"
                >
                  <span className="min-w-0 flex-1 truncate">Delete “{label(entry)}”?</span>
                  <button
                    type="button"
                    autoFocus
                    className="font-semibold text-red-600 dark:text-red-400"
                    onClick={async () => {
                      const error = await history.remove(entry.id);
                      setProblem(error);
                      setConfirming(null);
                      if (!error) onDeleted(entry.id);
                    }}
                  >
                    Delete
                  </button>
                  <button type="button" className="text-[var(--muted)]" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <div className="flex items-center">
                  <button
                    type="button"
                    onClick={() => onOpen(entry.id)}
                    aria-current={entry.id === currentId ? "page" : undefined}
                    className="flex min-w-0 flex-1 items-baseline gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)] aria-[current=page]:bg-[var(--bg)] aria-[current=page]:font-semibold"
                  >
                    <span className="min-w-0 flex-1 truncate">{label(entry)}</span>
                    <span className="shrink-0 text-xs text-[var(--muted)]">
                      {dateFormat.format(new Date(entry.created_at))}
                    </span>
                  </button>
                  <button
                    type="button"
                    aria-label={`Rename ${label(entry)}`}
                    title="Rename"
                    onClick={() => setEditing(entry.id)}
                    className="rounded-md p-1.5 text-[var(--muted)] group-hover:opacity-100 hover:text-[var(--fg)] focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-[var(--accent)] md:opacity-0"
                  >
                    <Icon name="pencil" className="h-3.5 w-3.5" />
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete ${label(entry)}`}
                    title="Delete"
                    onClick={() => setConfirming(entry.id)}
                    className="rounded-md p-1.5 text-[var(--muted)] group-hover:opacity-100 hover:text-red-600 focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-[var(--accent)] md:opacity-0"
                  >
                    <Icon name="trash" className="h-3.5 w-3.5" />
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        {state.hasMore && (
          <button
            type="button"
            onClick={() => void history.loadMore()}
            className="mt-1 w-full rounded-md px-2 py-1.5 text-sm font-medium text-[var(--accent)] hover:bg-[var(--bg)]"
          >
            Show older chats
          </button>
        )}
        {(problem || (state.status === "ready" && state.error)) && (
          <p role="alert" className="px-2 py-1 text-xs text-red-700 dark:text-red-300">
            {problem ?? state.error}
          </p>
        )}
      </div>
    </nav>
  );
}
