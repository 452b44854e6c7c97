import type { Metadata } from "next";
import { FormError } from "../ui";
import { VerifyEmailForm } from "./verify-form";

export const metadata: Metadata = { title: "Confirm your email · Facts Chat" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The page a verification email links to: one click confirms (a POST, so link scanners change nothing). */
export default async function VerifyEmailPage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">Confirm your email</h1>
      {token ? (
        <VerifyEmailForm token={token} />
      ) : (
        <FormError>This link is incomplete. Sign in and ask for a new one.</FormError>
      )}
    </div>
  );
}
