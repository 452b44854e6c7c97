"use client";

/**
 * The dashboard's inline "are you sure?" row: the question, a confirm button (its label changes
 * while the action runs), a button that keeps things as they are, and the action's error. It takes
 * the focus when it opens (on the safe button when the action cannot be undone); Escape keeps.
 */
export function InlineConfirm({
  label,
  question,
  confirm,
  working,
  keep,
  danger = false,
  busy,
  error,
  onConfirm,
  onKeep,
  className = "",
}: {
  /** The group's accessible name. */
  label: string;
  question: string;
  confirm: string;
  /** The confirm button's label while the action runs. */
  working: string;
  keep: string;
  /** Red for what cannot be undone. */
  danger?: boolean;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onKeep: () => void;
  className?: string;
}) {
  const tone = danger ? "bg-red-600 text-white" : "bg-[var(--accent)] text-[var(--on-accent)]";
  return (
    <div
      role="group"
      aria-label={label}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !busy) onKeep();
      }}
      className={`flex flex-wrap items-center gap-2 text-sm ${className}`}
    >
      <span>{question}</span>
      <button
        type="button"
        disabled={busy}
        autoFocus={!danger}
        onClick={onConfirm}
        className={`rounded-lg px-3 py-1 font-medium hover:opacity-90 disabled:opacity-60 ${tone}`}
      >
        {busy ? working : confirm}
      </button>
      <button
        type="button"
        disabled={busy}
        autoFocus={danger}
        onClick={onKeep}
        className="rounded-lg px-3 py-1 font-medium hover:bg-[var(--bg)]"
      >
        {keep}
      </button>
      {error ? (
        <span role="alert" className="w-full text-red-600 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
