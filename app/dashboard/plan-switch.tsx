"use client";

import { useState } from "react";
import { useAgentAction } from "./use-agent-action";

export type PlanOption = { priceId: string; name: string; price: string };

/** Switching to another plan of the same micro-agent asks first: Stripe prorates the change. */
export function PlanSwitch({ id, agentName, options }: { id: string; agentName: string; options: PlanOption[] }) {
  const [choice, setChoice] = useState<PlanOption | null>(null);
  const { busy, error, run } = useAgentAction(id, "plan", "Could not change the plan. Please try again.");

  async function change(option: PlanOption) {
    if (await run({ price_id: option.priceId })) setChoice(null);
  }

  if (!choice) {
    return (
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {options.map((option) => (
          <button
            key={option.priceId}
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
    <div
      role="group"
      aria-label={`Confirm the plan change of ${agentName}`}
      className="flex w-full flex-wrap items-center gap-2 text-sm"
    >
      <span>Switch to {choice.price}? What you already paid counts towards it.</span>
      <button
        type="button"
        disabled={busy}
        onClick={() => void change(choice)}
        className="rounded-lg bg-[var(--accent)] px-3 py-1 font-medium text-white hover:opacity-90 disabled:opacity-60 dark:text-slate-950"
      >
        {busy ? "Switching…" : "Yes, switch"}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => setChoice(null)}
        className="rounded-lg px-3 py-1 font-medium hover:bg-[var(--bg)]"
      >
        Keep my plan
      </button>
      {error ? (
        <span role="alert" className="w-full text-red-600">
          {error}
        </span>
      ) : null}
    </div>
  );
}
