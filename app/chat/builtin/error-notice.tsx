"use client";

import type { Notice, ThreadError } from "@/lib/chatkit-client";
import { describeChatError } from "@/lib/ui/chat-errors";
import { Icon } from "./icons";

const TONE = {
  connection:
    "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-500/50 dark:bg-amber-950/60 dark:text-amber-100",
  limit: "border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-500/50 dark:bg-sky-950/60 dark:text-sky-100",
  server: "border-red-300 bg-red-50 text-red-950 dark:border-red-500/40 dark:bg-red-950/50 dark:text-red-100",
} as const;

/** A failed turn, inline where the reply would be: what happened, and Retry where it may help. */
export function ErrorNotice({
  error,
  onRetry,
  onDismiss,
}: {
  error: ThreadError;
  onRetry: (() => void) | null;
  onDismiss: () => void;
}) {
  const copy = describeChatError(error);
  return (
    <div
      role="alert"
      data-testid="chat-turn-error"
      data-kind={copy.kind}
      className={`flex items-start gap-3 rounded-xl border px-4 py-3 text-sm ${TONE[copy.kind]}`}
    >
      <Icon
        name={copy.kind === "connection" ? "globe" : copy.kind === "limit" ? "clock" : "warning"}
        className="mt-0.5 h-5 w-5 shrink-0"
      />
      <div className="min-w-0 flex-1 space-y-1">
        <p className="font-semibold">{copy.title}</p>
        <p>{copy.body}</p>
        {error.requestId && (
          <p className="text-xs opacity-80" data-testid="chat-turn-error-reference">
            Reference: <span className="font-mono select-all">{error.requestId}</span>
          </p>
        )}
        <div className="flex gap-3 pt-1">
          {copy.retry && onRetry && (
            <button type="button" onClick={onRetry} className="font-semibold underline underline-offset-2">
              Retry
            </button>
          )}
          <button type="button" onClick={onDismiss} className="underline underline-offset-2 opacity-80">
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}

export function Notices({ notices }: { notices: Notice[] }) {
  if (notices.length === 0) return null;
  return (
    <ul className="flex flex-col gap-2">
      {notices.map((n, i) => (
        <li
          key={i}
          role={n.level === "danger" ? "alert" : "status"}
          className={`rounded-lg border px-3 py-2 text-sm ${n.level === "info" ? TONE.limit : n.level === "warning" ? TONE.connection : TONE.server}`}
        >
          {n.title && <p className="font-semibold">{n.title}</p>}
          <p>{n.message}</p>
        </li>
      ))}
    </ul>
  );
}
