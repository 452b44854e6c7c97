"use client";

import { useState } from "react";
import { createAuthedFetch, errorDetail, redirectToSignIn } from "@/lib/ui/api";

const authedFetch = createAuthedFetch(() => redirectToSignIn("/settings"));

/** For an address not verified yet: sends a fresh verification link. */
export function ResendVerificationButton({ email }: { email: string }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function resend() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await authedFetch("/api/auth/verify-email/resend", { method: "POST" });
      setMessage(
        res.status === 202
          ? { ok: true, text: `We sent a new verification link to ${email}.` }
          : { ok: false, text: await errorDetail(res, "Could not send the link. Please try again.") },
      );
    } catch {
      setMessage({ ok: false, text: "Could not reach the server. Please try again." });
    }
    setBusy(false);
  }

  return (
    <span className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={busy}
        onClick={() => void resend()}
        className="text-xs font-medium text-[var(--accent)] hover:underline disabled:opacity-60"
      >
        {busy ? "Sending…" : "Send a new verification link"}
      </button>
      {message ? (
        <span
          role={message.ok ? "status" : "alert"}
          className={`text-xs ${message.ok ? "" : "text-red-600 dark:text-red-400"}`}
        >
          {message.text}
        </span>
      ) : null}
    </span>
  );
}
