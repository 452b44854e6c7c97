import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/app/components/app-header";
import { accountOverview } from "@/lib/account/overview";
import { requirePageUser } from "@/lib/auth/page-user";
import { DeleteAccountForm } from "./delete-account-form";
import { PasswordSection } from "./password-section";
import { ResendVerificationButton } from "./resend-verification";
import { SignOutEverywhereButton } from "./sign-out-everywhere";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings · Facts Chat" };

const METHOD_LABELS = { password: "Password", google: "Google", apple: "Apple" } as const;

function Section({ title, children, danger }: { title: string; children: ReactNode; danger?: boolean }) {
  return (
    <section
      aria-label={title}
      className={`space-y-3 rounded-xl border bg-[var(--card)] p-5 ${danger ? "border-red-300 dark:border-red-900" : "border-[var(--border)]"}`}
    >
      <h2 className={`text-lg font-semibold ${danger ? "text-red-700 dark:text-red-400" : ""}`}>{title}</h2>
      {children}
    </section>
  );
}

export default async function SettingsPage() {
  const user = await requirePageUser("/settings");
  const account = await accountOverview(user.id);
  const created = new Date(account.created_at).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="settings" email={account.email} />
      <main className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8 sm:px-6">
        <h1 className="text-xl font-semibold">Settings</h1>

        <Section title="Account">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-[var(--muted)]">Email</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <span data-testid="account-email" className="break-all font-medium">
                {account.email}
              </span>
              <span
                data-testid="account-verified"
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${account.email_verified ? "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300" : "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"}`}
              >
                {account.email_verified ? "Verified" : "Not verified yet"}
              </span>
              {account.email_verified ? null : <ResendVerificationButton email={account.email} />}
            </dd>
            <dt className="text-[var(--muted)]">Member since</dt>
            <dd data-testid="account-created">
              <time dateTime={account.created_at}>{created}</time>
            </dd>
            <dt className="text-[var(--muted)]">Sign-in methods</dt>
            <dd data-testid="account-methods" className="flex flex-wrap gap-2">
              {account.sign_in_methods.map((m) => (
                <span key={m} className="rounded-full border border-[var(--border)] px-2.5 py-0.5 text-xs font-medium">
                  {METHOD_LABELS[m]}
                </span>
              ))}
            </dd>
          </dl>
        </Section>

        <Section title="Password">
          <PasswordSection hasPassword={account.has_password} email={account.email} />
        </Section>

        <Section title="Sessions">
          <p className="text-sm text-[var(--muted)]">
            Signs out every browser and revokes every API token of your account, this browser included. Use it if a
            device was lost or you suspect someone else has access.
          </p>
          <SignOutEverywhereButton />
        </Section>

        <Section title="Your data">
          <p className="text-sm text-[var(--muted)]">
            One JSON file with your profile, facts (saved and discarded), conversations, feedback, attachment details
            and micro-agent subscriptions.
          </p>
          <a
            href="/api/account/export"
            download
            className="inline-block rounded-lg border border-[var(--border)] px-4 py-2 text-sm font-medium hover:bg-[var(--bg)]"
          >
            Download my data
          </a>
        </Section>

        <Section title="Delete account" danger>
          <p className="text-sm text-[var(--muted)]">
            Deletes your account and everything in it: facts, conversations, attachments, subscriptions (billing stops)
            and the memory copy kept at OpenAI. This cannot be undone.
          </p>
          <DeleteAccountForm hasPassword={account.has_password} email={account.email} />
        </Section>
      </main>
    </div>
  );
}
