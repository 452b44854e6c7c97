import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/app/components/app-header";
import { requirePageUser } from "@/lib/auth/page-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Checkout cancelled · Facts Chat" };

export default async function CheckoutCancelledPage() {
  const user = await requirePageUser("/dashboard/cancelled");
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="dashboard" email={user.email} />
      <main className="mx-auto w-full max-w-xl space-y-4 px-4 py-12 sm:px-6">
        <h1 className="text-2xl font-semibold">Checkout cancelled</h1>
        <p className="text-[var(--muted)]">
          Nothing was charged. The micro-agent stays on your dashboard as awaiting payment until you cancel it or
          subscribe again.
        </p>
        <Link href="/dashboard" className="inline-block font-medium text-[var(--accent)] underline underline-offset-2">
          Back to the dashboard
        </Link>
      </main>
    </div>
  );
}
