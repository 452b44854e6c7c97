"use client";

import type { ReactNode } from "react";
import { useHydrated } from "@/lib/ui/hydrated";

/** Disabled while busy and until the page is hydrated, so the form never submits natively. */
export function SubmitButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <button
      type="submit"
      disabled={busy || !hydrated}
      className="rounded-lg bg-[var(--accent)] px-4 py-2.5 font-medium text-[var(--on-accent)] hover:opacity-90 disabled:opacity-60"
    >
      {children}
    </button>
  );
}
