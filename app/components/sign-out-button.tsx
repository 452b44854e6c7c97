"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { holdSignInRedirects } from "@/lib/ui/api";
import { useHydrated } from "@/lib/ui/hydrated";

export function SignOutButton() {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy || !hydrated}
      onClick={() => {
        setBusy(true);
        const release = holdSignInRedirects();
        void signOut({ callbackUrl: "/login" }).catch(() => {
          release();
          setBusy(false);
        });
      }}
      className="whitespace-nowrap rounded-lg px-2 py-1.5 sm:px-3 text-sm font-medium text-[var(--muted)] hover:bg-[var(--bg)] hover:text-[var(--fg)] disabled:opacity-60"
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
