"use client";

import { useId, useState } from "react";
import type { CatalogueEntry } from "@/lib/billing/catalogue";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";
import { formatMoney, intervalText, planName, savingPercent } from "./format";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/dashboard"));

/**
 * One micro-agent of the catalogue: what it does, what it costs, a plan choice where it has
 * several, and Subscribe — or, when the person already holds it, Subscribed with a way to manage it.
 */
export function CatalogueCard({
  entry,
  held,
}: {
  entry: CatalogueEntry;
  /** The person's agent on this entry and the plan it is on (null: not held). */
  held: { agentId: string; priceId: string } | null;
}) {
  const [first] = entry.prices;
  const [choice, setChoice] = useState(first?.id ?? "");
  const priceId = held?.priceId ?? choice; // a held agent shows the plan it is on, whatever was picked before
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const price = entry.prices.find((p) => p.id === priceId) ?? first;
  if (!price || !first) return null;

  async function subscribe() {
    setBusy(true);
    setError(null);
    try {
      const res = await authedFetch("/api/microagents/subscribe", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ workflow_id: entry.workflow_id, price_id: priceId }),
      });
      if (res.status === 201) {
        const body = (await res.json()) as { checkout_url: string };
        window.location.assign(body.checkout_url);
        return; // stay busy while the browser leaves for checkout
      }
      setError(await errorDetail(res, "Could not start the checkout. Please try again."));
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    }
    setBusy(false);
  }

  return (
    <li
      aria-labelledby={headingId}
      data-product-id={entry.product_id}
      className="flex flex-col gap-4 rounded-xl border border-[var(--border)] bg-[var(--card)] p-5 shadow-sm"
    >
      <div className="space-y-1.5">
        {/* h2: the catalogue's heading is the page's h1, so its cards come next (no skipped level). */}
        <h2 id={headingId} className="text-base font-semibold">
          {entry.name}
        </h2>
        {entry.description ? <p className="text-sm text-[var(--muted)]">{entry.description}</p> : null}
      </div>
      <p data-testid="price" aria-live="polite">
        <span className="text-3xl font-semibold tracking-tight">{formatMoney(price.amount, price.currency)}</span>
        <span className="text-sm text-[var(--muted)]"> / {intervalText(price.interval, price.interval_count)}</span>
      </p>
      {held ? (
        <p className="text-sm text-[var(--muted)]">You are on the {planName(price).toLowerCase()} plan.</p>
      ) : entry.prices.length > 1 ? (
        <fieldset className="grid auto-cols-fr grid-flow-col gap-1 rounded-lg bg-[var(--bg)] p-1">
          <legend className="sr-only">Plan for {entry.name}</legend>
          {entry.prices.map((p) => {
            const saving = savingPercent(p, first);
            return (
              <label
                key={p.id}
                className="cursor-pointer rounded-md px-2 py-1.5 text-center text-sm font-medium text-[var(--muted)] has-[:checked]:bg-[var(--card)] has-[:checked]:text-[var(--fg)] has-[:checked]:shadow-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-[var(--accent)]"
              >
                <input
                  type="radio"
                  name={`plan-${entry.product_id}`}
                  value={p.id}
                  checked={p.id === priceId}
                  onChange={() => setChoice(p.id)}
                  className="sr-only"
                />
                {planName(p)}
                {saving ? (
                  <span className="ml-1 text-xs text-emerald-700 dark:text-emerald-400">−{saving}%</span>
                ) : null}
              </label>
            );
          })}
        </fieldset>
      ) : (
        <p className="text-sm text-[var(--muted)]">{planName(first)} plan</p>
      )}
      <div className="mt-auto flex items-center gap-3 pt-1">
        {held ? (
          <>
            <span className="rounded-full bg-emerald-100 px-2.5 py-1 text-xs font-semibold text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200">
              Subscribed
            </span>
            <a
              href={`#agent-${held.agentId}`}
              className="text-sm font-medium text-[var(--accent)] underline underline-offset-2"
              aria-label={`Manage ${entry.name}`}
            >
              Manage
            </a>
          </>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => void subscribe()}
            aria-label={`Subscribe to ${entry.name}`}
            className="w-full rounded-lg bg-[var(--accent)] px-4 py-2 text-sm font-medium text-[var(--on-accent)] hover:opacity-90 disabled:opacity-60"
          >
            {busy ? "Starting checkout…" : "Subscribe"}
          </button>
        )}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </li>
  );
}
