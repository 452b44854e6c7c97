"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Field, FormError, Notice, SubmitButton } from "../ui";

/** Messages for next-auth's error codes (query `error=` or signIn's result). */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  RateLimited: "Too many attempts. Please wait a moment and try again.",
  OAuthEmailUnverified: "Your provider has not verified that email address, so we cannot sign you in with it.",
  OAuthEmailMissing: "Your provider did not share an email address, which we need to sign you in.",
  OAuthSignin: "Could not start signing in with that provider. Please try again.",
  OAuthCallback: "Signing in with that provider failed. Please try again.",
  AccessDenied: "Sign-in was refused.",
  SessionRequired: "Please sign in to continue.",
};
const message = (code?: string | null) => (code ? (MESSAGES[code] ?? "Sign-in failed. Please try again.") : "");

export function LoginForm({ callbackUrl, error, reset }: { callbackUrl: string; error?: string; reset: boolean }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(message(error));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setFailure("");
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    }).catch(() => undefined);
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setFailure(message(result?.error ?? "Unknown"));
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      {reset && <Notice>Your password was changed. Sign in with the new one.</Notice>}
      <FormError>{failure}</FormError>
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton busy={busy}>{busy ? "Signing in…" : "Sign in"}</SubmitButton>
      <div className="flex justify-between text-sm">
        <Link href="/forgot-password" className="text-[var(--accent)] underline underline-offset-2">
          Forgot password?
        </Link>
        <Link
          href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          className="text-[var(--accent)] underline underline-offset-2"
        >
          Create an account
        </Link>
      </div>
    </form>
  );
}
