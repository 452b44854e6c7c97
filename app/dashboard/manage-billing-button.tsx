"use client";

import { useState } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/dashboard"));

/** Opens Stripe's customer portal (payment methods, invoices, plans); it links back to the dashboard. */
export function ManageBillingButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function open() {
    setBusy(true);
    setError(null);
    try {
      const res = await authedFetch("/api/billing/portal", { method: "POST" });
      if (res.ok) {
        const body = (await res.json()) as { url: string };
        window.location.assign(body.url);
        return; // stay busy while the browser leaves
      }
      setError(await errorDetail(res, "Could not open the billing portal. Please try again."));
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    setBusy(false);
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        disabled={busy}
        onClick={() => void open()}
        className="whitespace-nowrap rounded-lg border border-[var(--border)] px-3 py-1.5 text-sm font-medium hover:bg-[var(--bg)] disabled:opacity-60"
      >
        {busy ? "Opening…" : "Manage billing"}
      </button>
      {error ? (
        <span role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </div>
  );
}
