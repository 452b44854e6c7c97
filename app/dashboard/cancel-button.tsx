"use client";

import { useState } from "react";
import { useAgentAction } from "./use-agent-action";

/** Cancel asks first: billing stops immediately and cannot be undone. */
export function CancelButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAgentAction(id, "cancel", "Could not cancel. Please try again.");

  async function cancel() {
    if (await run()) setConfirming(false);
  }

  if (!confirming) {
    return (
      <button
        type="button"
        onClick={() => setConfirming(true)}
        className="text-sm font-medium text-red-600 hover:underline"
      >
        Cancel
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Confirm cancelling ${name}`} className="flex flex-wrap items-center gap-2 text-sm">
      <span>Cancel “{name}”? Billing stops now.</span>
      <button
        type="button"
        disabled={busy}
        onClick={() => void cancel()}
        className="rounded-lg bg-red-600 px-3 py-1 font-medium text-white hover:opacity-90 disabled:opacity-60"
      >
        {busy ? "Cancelling…" : "Yes, cancel"}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => setConfirming(false)}
        className="rounded-lg px-3 py-1 font-medium hover:bg-[var(--bg)]"
      >
        Keep it
      </button>
      {error ? (
        <span role="alert" className="w-full text-red-600">
          {error}
        </span>
      ) : null}
    </div>
  );
}
