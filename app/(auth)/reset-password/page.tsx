import type { Metadata } from "next";
import Link from "next/link";
import { FormError } from "../ui";
import { ResetPasswordForm } from "./reset-form";

export const metadata: Metadata = { title: "Choose a new password · Facts Chat" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <FormError>This link is incomplete. Ask for a new one below.</FormError>
      )}
      <Link href="/forgot-password" className="text-sm text-[var(--accent)] underline underline-offset-2">
        Request a new link
      </Link>
    </div>
  );
}
