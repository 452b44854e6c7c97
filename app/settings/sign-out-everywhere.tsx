"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorDetail, holdSignInRedirects } from "@/lib/ui/api";
import { useHydrated } from "@/lib/ui/hydrated";

/** Ends every session and token of the account, this one too, then goes to sign-in. */
export function SignOutEverywhereButton() {
  const router = useRouter();
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOutEverywhere() {
    setBusy(true);
    setError(null);
    const release = holdSignInRedirects();
    try {
      const res = await fetch("/api/account/sign-out-everywhere", { method: "POST", credentials: "include" });
      if (res.status === 204 || res.status === 401) {
        router.replace("/login?signedOut=everywhere");
        router.refresh();
        return;
      }
      setError(await errorDetail(res, "Could not sign out everywhere. Please try again."));
    } catch {
      setError("Could not reach the server. Please try again.");
    }
    release();
    setBusy(false);
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        disabled={busy || !hydrated}
        onClick={() => void signOutEverywhere()}
        className="rounded-lg border border-[var(--border)] px-4 py-2 text-sm font-medium hover:bg-[var(--bg)] disabled:opacity-60"
      >
        {busy ? "Signing out…" : "Sign out everywhere"}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
