export type FailureReason = "script-error" | "script-timeout" | "start-timeout";

const COPY: Record<FailureReason, { title: string; body: string }> = {
  "script-error": {
    title: "The chat couldn't load",
    body: "Your browser couldn't download the chat component from OpenAI. You may be offline, or a firewall, network filter or content blocker may be blocking cdn.platform.openai.com.",
  },
  "script-timeout": {
    title: "The chat is taking too long to load",
    body: "The chat component from OpenAI didn't arrive in time. Check your connection, then try again.",
  },
  "start-timeout": {
    title: "The chat didn't start",
    body: "The chat component loaded but never became ready. This usually means this site's domain isn't registered for ChatKit, or OpenAI can't be reached from your network.",
  },
};

/** The same causes, in one line, above the built-in chat that stands in for ChatKit's component. */
const NOTE: Record<FailureReason, string> = {
  "script-error":
    "ChatKit's component couldn't load from cdn.platform.openai.com (offline, or blocked by a network filter).",
  "script-timeout": "ChatKit's component is taking too long to load from cdn.platform.openai.com.",
  "start-timeout": "ChatKit's component loaded but didn't start (is this domain registered for ChatKit?).",
};

const BUTTON =
  "rounded-lg px-4 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]";

/**
 * What a person sees when ChatKit's component can't run. Self-hosted, it offers the built-in
 * chat; with hosted workflows the conversation lives at OpenAI, so it says the built-in chat
 * cannot stand in.
 */
export function ChatFailure({
  reason,
  detail,
  onRetry,
  onUseBuiltin,
}: {
  reason: FailureReason;
  detail: string | null;
  onRetry: () => void;
  /** Absent in hosted-workflow mode. */
  onUseBuiltin?: () => void;
}) {
  const copy = COPY[reason];
  return (
    <div
      role="alert"
      data-testid="chat-failure"
      data-reason={reason}
      className="absolute inset-0 flex items-center justify-center bg-[var(--card)] p-6"
    >
      <div className="max-w-md space-y-3 text-center">
        <svg
          aria-hidden
          viewBox="0 0 24 24"
          className="mx-auto h-10 w-10 text-amber-500"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <path
            d="M12 9v4m0 4h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <h2 className="text-lg font-semibold">{copy.title}</h2>
        <p className="text-sm text-[var(--muted)]">{copy.body}</p>
        {detail && <p className="text-xs text-[var(--muted)]">Last error: {detail}</p>}
        {onUseBuiltin ? (
          <p className="text-sm text-[var(--muted)]">
            The built-in chat works without OpenAI&apos;s script, with the same assistant and your saved facts.
          </p>
        ) : (
          <p className="text-sm text-[var(--muted)]" data-testid="hosted-no-builtin">
            This site runs hosted workflows: the conversation lives at OpenAI, so the built-in chat can&apos;t stand in.
            Your saved facts are still available.
          </p>
        )}
        <div className="flex flex-wrap justify-center gap-2">
          {onUseBuiltin && (
            <button
              type="button"
              onClick={onUseBuiltin}
              className={`${BUTTON} bg-[var(--accent)] text-[var(--on-accent)] hover:opacity-90`}
            >
              Use the built-in chat
            </button>
          )}
          <button
            type="button"
            onClick={onRetry}
            className={
              onUseBuiltin
                ? `${BUTTON} border border-[var(--border)] hover:bg-[var(--bg)]`
                : `${BUTTON} bg-[var(--accent)] text-[var(--on-accent)] hover:opacity-90`
            }
          >
            Try again
          </button>
        </div>
      </div>
    </div>
  );
}

/** The small visible note above the built-in chat when it stands in for ChatKit's component. */
export function FallbackNote({ reason, onRetry }: { reason: FailureReason | "chosen"; onRetry: () => void }) {
  return (
    <div
      role="status"
      data-testid="chat-failure"
      data-reason={reason}
      className="flex items-center gap-2 border-b border-[var(--border)] bg-amber-50 px-3 py-1.5 text-xs text-amber-950 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="min-w-0 flex-1">
        {reason === "chosen" ? "You switched to the built-in chat." : NOTE[reason]} You&apos;re using the built-in chat.
      </p>
      <button
        type="button"
        onClick={onRetry}
        className="shrink-0 rounded px-1.5 py-0.5 font-semibold underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-[var(--accent)]"
      >
        {reason === "chosen" ? "Use ChatKit's component" : "Try again"}
      </button>
    </div>
  );
}
