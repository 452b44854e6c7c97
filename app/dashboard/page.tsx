import type { Metadata } from "next";
import { AppHeader } from "@/app/components/app-header";
import { listMicroAgents } from "@/lib/billing/micro-agents";
import { getEnv } from "@/lib/env";
import { CancelButton } from "./cancel-button";
import { formatDate, renewalText } from "./format";
import { ManageBillingButton } from "./manage-billing-button";
import { requirePageUser } from "@/lib/auth/page-user";
import { StatusBadge } from "./status-badge";
import { SubscribeForm } from "./subscribe-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard · Facts Chat" };

export default async function DashboardPage() {
  const user = await requirePageUser("/dashboard");
  const agents = await listMicroAgents(user.id);
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="dashboard" email={user.email} />
      <main className="mx-auto w-full max-w-5xl space-y-8 px-4 py-8 sm:px-6">
        <section className="space-y-3 rounded-xl border border-[var(--border)] bg-[var(--card)] p-5">
          <h1 className="text-xl font-semibold">Subscribe to a micro-agent</h1>
          <SubscribeForm defaultWorkflowId={getEnv().workflow.id} />
        </section>
        <section className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold">Your micro-agents</h2>
            <ManageBillingButton />
          </div>
          {agents.length === 0 ? (
            <p className="text-sm text-[var(--muted)]">No micro-agents yet. Subscribe to one above.</p>
          ) : (
            <ul
              className="divide-y divide-[var(--border)] rounded-xl border border-[var(--border)] bg-[var(--card)]"
              aria-label="Micro-agents"
            >
              {agents.map((agent) => (
                <li
                  key={agent.id}
                  data-agent-id={agent.id}
                  className="flex flex-wrap items-center gap-x-4 gap-y-2 px-5 py-4"
                >
                  <div className="min-w-0 flex-1">
                    <p className="truncate font-medium">{agent.agentName}</p>
                    <p className="truncate text-xs text-[var(--muted)]">
                      {agent.workflowId} · {agent.stripePriceId} · since {formatDate(agent.createdAt)}
                    </p>
                  </div>
                  <StatusBadge status={agent.status} />
                  <span className="w-40 text-sm text-[var(--muted)]" data-testid="renewal">
                    {renewalText(agent)}
                  </span>
                  <div className="w-28 text-right">
                    {agent.status !== "canceled" ? <CancelButton id={agent.id} name={agent.agentName} /> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
