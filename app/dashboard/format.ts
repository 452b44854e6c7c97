import type { MicroAgent } from "@/db/schema";

export const STATUS_LABEL: Record<MicroAgent["status"], string> = {
  pending: "Awaiting payment",
  active: "Active",
  past_due: "Payment failed",
  canceled: "Canceled",
};

export const STATUS_STYLE: Record<MicroAgent["status"], string> = {
  pending: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  active: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  past_due: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  canceled: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};

export function formatDate(date: Date | null): string {
  return date ? date.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" }) : "—";
}

/** "Renews on …", "Ends on …" or nothing, as a customer would read it. */
export function renewalText(agent: Pick<MicroAgent, "status" | "currentPeriodEnd" | "cancelAtPeriodEnd">): string {
  if (agent.status === "canceled" || !agent.currentPeriodEnd) return "—";
  return `${agent.cancelAtPeriodEnd ? "Ends on" : "Renews on"} ${formatDate(agent.currentPeriodEnd)}`;
}
