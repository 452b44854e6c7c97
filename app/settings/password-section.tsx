"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/settings"));
const field =
  "w-full rounded-lg border border-[var(--border)] bg-[var(--bg)] px-3 py-2 text-sm outline-none focus:border-[var(--accent)]";

/** Change the password (current one required), or, for Google/Apple-only accounts, get a link to set one. */
export function PasswordSection({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The button is disabled while the change runs, which drops the focus; it gets it back after.
  const submitButton = useRef<HTMLButtonElement>(null);
  const ran = useRef(false);
  useEffect(() => {
    if (busy) ran.current = true;
    else if (ran.current && document.activeElement === document.body) submitButton.current?.focus();
  }, [busy]);

  async function change(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setError(null);
    setDone(null);
    if (data.get("new_password") !== data.get("confirm_password")) {
      setError("The new passwords do not match.");
      return;
    }
    setBusy(true);
    try {
      const res = await authedFetch("/api/account/password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          current_password: data.get("current_password"),
          new_password: data.get("new_password"),
        }),
      });
      if (res.ok) {
        form.reset();
        setDone("Password changed. Every other browser and API token has been signed out.");
      } else {
        setError(await errorDetail(res, "Could not change the password. Please try again."));
      }
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    setBusy(false);
  }

  async function sendLink() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/forgot-password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      if (res.ok) setDone(`We sent a link to ${email}. Follow it to choose a password.`);
      else setError(await errorDetail(res, "Could not send the link. Please try again."));
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    setBusy(false);
  }

  const messages = (
    <>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="text-sm text-green-700 dark:text-green-400">
          {done}
        </p>
      ) : null}
    </>
  );

  if (!hasPassword) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-[var(--muted)]">
          You sign in with Google or Apple and have no password. To add one, we email you a link to choose it.
        </p>
        <button
          type="button"
          disabled={busy}
          onClick={() => void sendLink()}
          className="rounded-lg border border-[var(--border)] px-4 py-2 text-sm font-medium hover:bg-[var(--bg)] disabled:opacity-60"
        >
          {busy ? "Sending…" : "Email me a link to set a password"}
        </button>
        {messages}
      </div>
    );
  }

  return (
    <form onSubmit={change} aria-label="Change password" className="grid max-w-md gap-3">
      <label className="grid gap-1 text-sm font-medium">
        Current password
        <input name="current_password" type="password" autoComplete="current-password" required className={field} />
      </label>
      <label className="grid gap-1 text-sm font-medium">
        New password
        <input
          name="new_password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={256}
          className={field}
        />
      </label>
      <label className="grid gap-1 text-sm font-medium">
        Repeat the new password
        <input
          name="confirm_password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={256}
          className={field}
        />
      </label>
      <div>
        <button
          ref={submitButton}
          type="submit"
          disabled={busy}
          className="rounded-lg bg-[var(--accent)] px-4 py-2 text-sm font-medium text-[var(--on-accent)] hover:opacity-90 disabled:opacity-60"
        >
          {busy ? "Changing…" : "Change password"}
        </button>
      </div>
      {messages}
    </form>
  );
}
