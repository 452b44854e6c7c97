import type { Metadata } from "next";
import { AppHeader } from "@/app/components/app-header";
import { requirePageUser } from "@/lib/auth/page-user";
import { entryOfPrice, getCatalogue, type Catalogue } from "@/lib/billing/catalogue";
import { listMicroAgents } from "@/lib/billing/micro-agents";
import { paymentDueFor, type PaymentDue } from "@/lib/billing/payment-due";
import { AppError } from "@/lib/http";
import type { MicroAgent } from "@/db/schema";
import { CancelButton } from "./cancel-button";
import { CatalogueCard } from "./catalogue-card";
import { formatDate, formatMoney, planName, priceText, renewalText } from "./format";
import { ManageBillingButton } from "./manage-billing-button";
import { PlanSwitch } from "./plan-switch";
import { StatusBadge } from "./status-badge";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard · Facts Chat" };

/** The catalogue, or null when Stripe has never answered (the page says so instead of failing). */
async function loadCatalogue(): Promise<{ catalogue: Catalogue | null; stale: boolean }> {
  try {
    return await getCatalogue();
  } catch (err) {
    if (err instanceof AppError && err.status === 503) return { catalogue: null, stale: false };
    throw err;
  }
}

/** A held micro-agent is one that is running or can still recover; the newest counts. */
const HOLDS = new Set<MicroAgent["status"]>(["active", "past_due"]);

export default async function DashboardPage() {
  const user = await requirePageUser("/dashboard");
  const [agents, { catalogue, stale }] = await Promise.all([listMicroAgents(user.id), loadCatalogue()]);
  // Only agents whose payment did not go through ask Stripe (for the invoice to pay).
  const due = new Map(await Promise.all(agents.map(async (a) => [a.id, await paymentDueFor(a)] as const)));

  const held = new Map<string, { agentId: string; priceId: string }>(); // product id → the agent holding it
  for (const agent of agents) {
    const productId = catalogue?.unlocks.get(agent.stripePriceId)?.productId;
    if (productId && HOLDS.has(agent.status) && !held.has(productId)) {
      held.set(productId, { agentId: agent.id, priceId: agent.stripePriceId });
    }
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="dashboard" email={user.email} />
      <main className="mx-auto w-full max-w-5xl space-y-10 px-4 py-8 sm:px-6">
        <section aria-labelledby="catalogue-heading" className="space-y-4">
          <div className="space-y-1">
            <h1 id="catalogue-heading" className="text-xl font-semibold">
              Micro-agents
            </h1>
            <p className="text-sm text-[var(--muted)]">
              Pick an agent and a plan; you pay on Stripe&rsquo;s secure checkout and can switch plans or cancel at any
              time.
            </p>
          </div>
          {!catalogue ? (
            <p role="status" className="rounded-xl border border-[var(--border)] bg-[var(--card)] p-5 text-sm">
              The list of micro-agents cannot be loaded right now. Please try again in a moment.
            </p>
          ) : catalogue.entries.length === 0 ? (
            <p className="rounded-xl border border-[var(--border)] bg-[var(--card)] p-5 text-sm text-[var(--muted)]">
              No micro-agents are on offer yet.
            </p>
          ) : (
            <>
              <ul aria-label="Catalogue" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {catalogue.entries.map((entry) => (
                  <CatalogueCard key={entry.product_id} entry={entry} held={held.get(entry.product_id) ?? null} />
                ))}
              </ul>
              {stale ? (
                <p role="status" className="text-xs text-[var(--muted)]">
                  Prices as of {catalogue.fetchedAt.toUTCString()}; we could not reach our payment provider just now.
                </p>
              ) : null}
            </>
          )}
        </section>
        <section aria-labelledby="agents-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="agents-heading" className="text-lg font-semibold">
              Your micro-agents
            </h2>
            <ManageBillingButton />
          </div>
          {agents.length === 0 ? (
            <p className="text-sm text-[var(--muted)]">No micro-agents yet. Pick one above.</p>
          ) : (
            <ul
              className="divide-y divide-[var(--border)] rounded-xl border border-[var(--border)] bg-[var(--card)]"
              aria-label="Micro-agents"
            >
              {agents.map((agent) => (
                <AgentRow key={agent.id} agent={agent} catalogue={catalogue} due={due.get(agent.id) ?? null} />
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}

function AgentRow({
  agent,
  catalogue,
  due,
}: {
  agent: MicroAgent;
  catalogue: Catalogue | null;
  due: PaymentDue | null;
}) {
  const entry = catalogue ? entryOfPrice(catalogue, agent.stripePriceId) : undefined;
  const plan = entry?.prices.find((p) => p.id === agent.stripePriceId);
  const productName = catalogue?.unlocks.get(agent.stripePriceId)?.productName;
  const otherPlans =
    agent.status === "active" && entry
      ? entry.prices
          .filter((p) => p.id !== agent.stripePriceId)
          .map((p) => ({ priceId: p.id, name: planName(p), price: priceText(p) }))
      : [];
  const details = [
    productName && productName !== agent.agentName ? productName : null,
    plan ? `${planName(plan)} · ${priceText(plan)}` : productName ? "Earlier plan" : agent.stripePriceId,
    `since ${formatDate(agent.createdAt)}`,
  ].filter(Boolean);

  return (
    <li
      id={`agent-${agent.id}`}
      data-agent-id={agent.id}
      className="flex scroll-mt-4 flex-wrap items-center gap-x-4 gap-y-2 px-5 py-4 target:bg-[var(--bg)]"
    >
      <div className="min-w-0 flex-1 basis-56">
        <p className="truncate font-medium">{agent.agentName}</p>
        <p className="truncate text-xs text-[var(--muted)]" data-testid="plan">
          {details.join(" · ")}
        </p>
        {due ? (
          <p className="mt-1 text-xs" data-testid="payment-due">
            {agent.status === "past_due"
              ? "Your last payment did not go through, so this agent is paused. "
              : "Your first payment did not go through or needs your confirmation; the agent starts once it is paid. "}
            <a
              href={due.invoiceUrl}
              className="font-medium underline"
              aria-label={`Pay the open invoice for ${agent.agentName} (${formatMoney(due.amountDue, due.currency)})`}
            >
              Pay {formatMoney(due.amountDue, due.currency)} on Stripe
            </a>
          </p>
        ) : null}
      </div>
      <StatusBadge status={agent.status} />
      <span className="w-44 whitespace-nowrap text-sm text-[var(--muted)]" data-testid="renewal">
        {renewalText(agent)}
      </span>
      <div className="flex flex-wrap items-center justify-end gap-x-4 gap-y-2 sm:w-auto">
        {otherPlans.length > 0 ? <PlanSwitch id={agent.id} agentName={agent.agentName} options={otherPlans} /> : null}
        {agent.status !== "canceled" ? <CancelButton id={agent.id} name={agent.agentName} /> : null}
      </div>
    </li>
  );
}
