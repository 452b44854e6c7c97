import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/app/components/app-header";
import { settleCheckoutReturn } from "@/lib/billing/checkout-return";
import { renewalText } from "../format";
import { requirePageUser } from "@/lib/auth/page-user";
import { StatusBadge } from "../status-badge";
import { RefreshWhilePending } from "./refresh-while-pending";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Subscription · Facts Chat" };

type Props = { searchParams: Promise<{ session_id?: string | string[] }> };

/** Shows this checkout's state; while it is pending, Stripe is asked directly (the webhook may never reach a preview). */
export default async function CheckoutSuccessPage({ searchParams }: Props) {
  const { session_id } = await searchParams;
  const sessionId = typeof session_id === "string" ? session_id : "";
  const user = await requirePageUser(`/dashboard/success?session_id=${encodeURIComponent(sessionId)}`);
  const agent = sessionId ? await settleCheckoutReturn(user.id, sessionId) : null;

  let message: string;
  if (!agent) message = "We could not find this checkout. Your dashboard lists every micro-agent you have.";
  else if (agent.status === "active") message = `${agent.agentName} is active. ${renewalText(agent)}.`;
  else if (agent.status === "pending")
    message = "Thanks! We are waiting for Stripe to confirm your payment. This page updates by itself.";
  else if (agent.status === "past_due") message = "Your payment did not go through. Please update your payment method.";
  else message = `${agent.agentName} is canceled.`;

  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="dashboard" email={user.email} />
      <main className="mx-auto w-full max-w-xl space-y-4 px-4 py-12 sm:px-6">
        <h1 className="text-2xl font-semibold">
          {agent?.status === "active" ? "Subscription confirmed" : "Checkout complete"}
        </h1>
        {agent ? <StatusBadge status={agent.status} /> : null}
        <p role="status" className="text-[var(--muted)]">
          {message}
        </p>
        <Link href="/dashboard" className="inline-block font-medium text-[var(--accent)] underline underline-offset-2">
          Back to the dashboard
        </Link>
        <RefreshWhilePending pending={agent?.status === "pending"} />
      </main>
    </div>
  );
}
