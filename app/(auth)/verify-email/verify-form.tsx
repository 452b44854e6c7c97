"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorDetail, FormError, Notice, SubmitButton } from "../ui";

export function VerifyEmailForm({ token }: { token: string }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setFailure("");
    const res = await fetch("/api/auth/verify-email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }).catch(() => undefined);
    setBusy(false);
    if (res?.status === 204) return setDone(true);
    setFailure(res ? await errorDetail(res) : "Could not reach the server. Please try again.");
  }

  if (done) {
    return (
      <div className="flex flex-col gap-4">
        <Notice>Your email address is confirmed. Thank you.</Notice>
        <Link href="/chat" className="text-sm text-[var(--accent)] underline underline-offset-2">
          Go to the chat
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <FormError>{failure}</FormError>
      <p className="text-sm">Confirm that this email address belongs to you.</p>
      <SubmitButton busy={busy}>{busy ? "Confirming…" : "Confirm my email"}</SubmitButton>
    </form>
  );
}
