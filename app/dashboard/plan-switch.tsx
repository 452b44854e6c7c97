"use client";

import { useEffect, useRef, useState } from "react";
import { InlineConfirm } from "./inline-confirm";
import { useAgentAction } from "./use-agent-action";

export type PlanOption = { priceId: string; name: string; price: string };

/** Switching to another plan of the same micro-agent asks first: Stripe prorates the change. */
export function PlanSwitch({ id, agentName, options }: { id: string; agentName: string; options: PlanOption[] }) {
  const [choice, setChoice] = useState<PlanOption | null>(null);
  const { busy, error, run } = useAgentAction(id, "plan", "Could not change the plan. Please try again.");
  // Once the question closes (kept or switched), the focus goes back to the switch button.
  const switchButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (choice) asked.current = true;
    else if (asked.current) switchButton.current?.focus();
  }, [choice]);

  async function change(option: PlanOption) {
    if (await run({ price_id: option.priceId })) setChoice(null);
  }

  if (!choice) {
    return (
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {/* Keyed by position: after a switch the same button offers the other plan and keeps the focus. */}
        {options.map((option, index) => (
          <button
            key={index}
            ref={index === 0 ? switchButton : undefined}
            type="button"
            onClick={() => setChoice(option)}
            className="text-sm font-medium text-[var(--accent)] hover:underline"
          >
            Switch to {option.name.toLowerCase()}
          </button>
        ))}
      </div>
    );
  }
  return (
    <InlineConfirm
      label={`Confirm the plan change of ${agentName}`}
      question={`Switch to ${choice.price}? What you already paid counts towards it.`}
      confirm="Yes, switch"
      working="Switching…"
      keep="Keep my plan"
      busy={busy}
      error={error}
      onConfirm={() => void change(choice)}
      onKeep={() => setChoice(null)}
      className="w-full"
    />
  );
}
