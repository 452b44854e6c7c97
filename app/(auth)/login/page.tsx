import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { enabledOAuthProviders } from "@/lib/auth/next-auth-options";
import { pageUser } from "@/lib/auth/page-user";
import { safeReturnTo } from "@/lib/auth/return-to";
import { OAuthButtons } from "../oauth-buttons";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Facts Chat" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeReturnTo(one(params.callbackUrl));
  if (await pageUser()) redirect(callbackUrl);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <OAuthButtons providers={enabledOAuthProviders()} callbackUrl={callbackUrl} />
      <LoginForm callbackUrl={callbackUrl} error={one(params.error)} reset={one(params.reset) === "1"} />
    </div>
  );
}
