import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { enabledOAuthProviders } from "@/lib/auth/next-auth-options";
import { pageUser } from "@/lib/auth/page-user";
import { safeReturnTo } from "@/lib/auth/return-to";
import { OAuthButtons } from "../oauth-buttons";
import { SignupForm } from "./signup-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create an account · Facts Chat" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignupPage({ searchParams }: Props) {
  const raw = (await searchParams).callbackUrl;
  const callbackUrl = safeReturnTo(Array.isArray(raw) ? raw[0] : raw);
  if (await pageUser()) redirect(callbackUrl);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <OAuthButtons providers={enabledOAuthProviders()} callbackUrl={callbackUrl} />
      <SignupForm callbackUrl={callbackUrl} />
    </div>
  );
}
