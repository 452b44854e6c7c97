"use client";

import { useState, type FormEvent } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/dashboard"));

/** Name, workflow and plan → a pending micro-agent, then off to Stripe Checkout. */
export function SubscribeForm({ defaultWorkflowId }: { defaultWorkflowId?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await authedFetch("/api/microagents/subscribe", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          agent_name: data.get("agent_name"),
          workflow_id: data.get("workflow_id"),
          price_id: data.get("price_id"),
        }),
      });
      if (res.status === 201) {
        const body = (await res.json()) as { checkout_url: string };
        window.location.assign(body.checkout_url);
        return; // stay busy while the browser leaves
      }
      setError(await errorDetail(res, "Could not start the checkout. Please try again."));
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    }
    setBusy(false);
  }

  const field = "w-full rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-sm";
  return (
    <form
      onSubmit={submit}
      className="grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
      aria-label="Subscribe to a micro-agent"
    >
      <label className="grid gap-1 text-sm font-medium">
        Name
        <input name="agent_name" required maxLength={100} placeholder="Inbox triage" className={field} />
      </label>
      <label className="grid gap-1 text-sm font-medium">
        Workflow
        <input
          name="workflow_id"
          required
          maxLength={200}
          defaultValue={defaultWorkflowId}
          placeholder="wf_…"
          className={field}
        />
      </label>
      <label className="grid gap-1 text-sm font-medium">
        Plan (price id)
        <input
          name="price_id"
          required
          maxLength={255}
          pattern="[A-Za-z0-9_\-]+"
          placeholder="price_…"
          className={field}
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded-lg bg-[var(--accent)] px-4 py-2 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60"
      >
        {busy ? "Starting checkout…" : "Subscribe"}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-600 sm:col-span-4">
          {error}
        </p>
      ) : null}
    </form>
  );
}
