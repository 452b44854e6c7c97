"use client";

import { GREETING, STARTER_PROMPTS } from "@/lib/ui/chatkit-options";
import { Icon } from "./icons";

/** An empty thread: the greeting and the starter prompts (the same ones ChatKit's component shows). */
export function StartScreen({ onPick }: { onPick: (prompt: string) => void }) {
  return (
    <div data-testid="start-screen" className="flex flex-col items-center gap-5 py-8 text-center sm:py-14">
      <h3 className="max-w-md text-xl font-semibold sm:text-2xl">{GREETING}</h3>
      <ul className="grid w-full max-w-xl gap-2 sm:grid-cols-2" aria-label="Suggestions">
        {STARTER_PROMPTS.map((p) => (
          <li key={p.label}>
            <button
              type="button"
              onClick={() => onPick(promptText(p.prompt))}
              className="flex w-full items-center gap-2 rounded-xl border border-[var(--border)] px-3 py-2.5 text-left text-sm hover:bg-[var(--bg)] focus-visible:outline-2 focus-visible:outline-[var(--accent)]"
            >
              {p.icon && <Icon name={p.icon} className="h-4 w-4 shrink-0 text-[var(--accent)]" />}
              {p.label}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function promptText(prompt: (typeof STARTER_PROMPTS)[number]["prompt"]): string {
  return typeof prompt === "string" ? prompt : prompt.map((part) => ("text" in part ? part.text : "")).join(" ");
}
