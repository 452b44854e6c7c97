"use client";

import { useEffect, useRef, useState } from "react";
import { InlineConfirm } from "./inline-confirm";
import { useAgentAction } from "./use-agent-action";

/** Cancel asks first: billing stops immediately and cannot be undone. */
export function CancelButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAgentAction(id, "cancel", "Could not cancel. Please try again.");
  // "Keep it" gives the focus back to Cancel.
  const cancelButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) asked.current = true;
    else if (asked.current) cancelButton.current?.focus();
  }, [confirming]);

  async function cancel() {
    if (await run()) setConfirming(false);
  }

  if (!confirming) {
    return (
      <button
        ref={cancelButton}
        type="button"
        onClick={() => setConfirming(true)}
        className="text-sm font-medium text-red-600 dark:text-red-400 hover:underline"
      >
        Cancel
      </button>
    );
  }
  return (
    <InlineConfirm
      label={`Confirm cancelling ${name}`}
      question={`Cancel “${name}”? Billing stops now.`}
      confirm="Yes, cancel"
      working="Cancelling…"
      keep="Keep it"
      danger
      busy={busy}
      error={error}
      onConfirm={() => void cancel()}
      onKeep={() => setConfirming(false)}
    />
  );
}
