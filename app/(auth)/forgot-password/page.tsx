"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { errorDetail, Field, FormError, Notice, SubmitButton } from "../ui";

export default function ForgotPasswordPage() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setBusy(true);
    setFailure("");
    const res = await fetch("/api/auth/forgot-password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email }),
    }).catch(() => undefined);
    setBusy(false);
    if (res?.status === 202) setSent(true);
    else setFailure(res ? await errorDetail(res) : "Could not reach the server. Please try again.");
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">Reset your password</h1>
      {sent ? (
        <Notice>
          If an account exists for that address, we sent it a link to choose a new password. The link works for 1 hour.
        </Notice>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <FormError>{failure}</FormError>
          <Field label="Email" name="email" type="email" autoComplete="email" required />
          <SubmitButton busy={busy}>{busy ? "Sending…" : "Send reset link"}</SubmitButton>
        </form>
      )}
      <Link href="/login" className="text-sm text-[var(--accent)] underline underline-offset-2">
        Back to sign in
      </Link>
    </div>
  );
}
