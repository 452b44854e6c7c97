"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/settings"));

/** Asks first, then confirms with the password (or, without one, the email typed again). */
export function DeleteAccountForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("confirmation");
    setBusy(true);
    setError(null);
    try {
      const res = await authedFetch("/api/account/delete", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(hasPassword ? { password: value } : { email: value }),
      });
      if (res.status === 204) {
        router.replace("/?deleted=1");
        router.refresh();
        return;
      }
      setError(await errorDetail(res, "Could not delete the account. Please try again."));
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    setBusy(false);
  }

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-lg border border-red-300 px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950"
      >
        Delete my account…
      </button>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Confirm account deletion" className="grid max-w-md gap-3">
      <label className="grid gap-1 text-sm font-medium">
        {hasPassword ? "Enter your password to confirm" : `Type your email address (${email}) to confirm`}
        <input
          name="confirmation"
          type={hasPassword ? "password" : "email"}
          autoComplete={hasPassword ? "current-password" : "off"}
          required
          className="w-full rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-sm outline-none focus:border-red-500"
        />
      </label>
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-lg bg-red-600 px-4 py-2 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60"
        >
          {busy ? "Deleting…" : "Delete my account for good"}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => (setOpen(false), setError(null))}
          className="rounded-lg px-4 py-2 text-sm font-medium hover:bg-[var(--bg)]"
        >
          Keep my account
        </button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
