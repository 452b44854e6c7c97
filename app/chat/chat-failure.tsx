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

/** What a person sees when ChatKit can't run, with a way to try again. */
export function ChatFailure({
  reason,
  detail,
  onRetry,
}: {
  reason: FailureReason;
  detail: string | null;
  onRetry: () => void;
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
        <p className="text-sm text-[var(--muted)]">Your saved facts are still available.</p>
        <button
          type="button"
          onClick={onRetry}
          className="rounded-lg bg-[var(--accent)] px-4 py-2 text-sm font-semibold text-white hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]"
        >
          Try again
        </button>
      </div>
    </div>
  );
}
