"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { errorDetail, Field, FormError, SubmitButton } from "../ui";

export function SignupForm({ callbackUrl }: { callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setFailure("The passwords do not match.");
    if (password.length < 8) return setFailure("Password must be at least 8 characters.");
    setBusy(true);
    setFailure("");
    try {
      const res = await fetch("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (!res.ok) throw new Error(await errorDetail(res));
      // The account exists; sign the browser in with the same credentials.
      const result = await signIn("credentials", { email, password, redirect: false, callbackUrl });
      if (!result?.ok || result.error)
        throw new Error("Your account was created, but signing in failed. Please sign in.");
      window.location.assign(callbackUrl);
    } catch (err) {
      setBusy(false);
      setFailure(err instanceof Error ? err.message : "Something went wrong. Please try again.");
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError>{failure}</FormError>
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required />
      <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required />
      <SubmitButton busy={busy}>{busy ? "Creating account…" : "Create account"}</SubmitButton>
      <p className="text-sm">
        Already have an account?{" "}
        <Link
          href={`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          className="text-[var(--accent)] underline underline-offset-2"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}
