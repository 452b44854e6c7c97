"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorDetail, Field, FormError, SubmitButton } from "../ui";

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setFailure("The passwords do not match.");
    if (password.length < 8) return setFailure("Password must be at least 8 characters.");
    setBusy(true);
    setFailure("");
    const res = await fetch("/api/auth/reset-password", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, password }),
    }).catch(() => undefined);
    if (res?.status === 204) {
      router.push("/login?reset=1");
      return;
    }
    setBusy(false);
    setFailure(res ? await errorDetail(res) : "Could not reach the server. Please try again.");
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError>{failure}</FormError>
      <Field label="New password" name="password" type="password" autoComplete="new-password" minLength={8} required />
      <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required />
      <SubmitButton busy={busy}>{busy ? "Saving…" : "Set new password"}</SubmitButton>
    </form>
  );
}
