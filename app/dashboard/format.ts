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

/** An amount in the currency's smallest unit, as a person reads it: "$9", "$9.50", "¥900". */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = new Intl.NumberFormat("en-US", { style: "currency", currency: code }).resolvedOptions()
    .maximumFractionDigits;
  const value = amount / 10 ** (digits ?? 2);
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: code,
    minimumFractionDigits: Number.isInteger(value) ? 0 : digits,
  }).format(value);
}

/** "month", "3 months", "year". */
export function intervalText(interval: string, count = 1): string {
  return count === 1 ? interval : `${count} ${interval}s`;
}

/** "$9 / month". */
export function priceText(p: { amount: number; currency: string; interval: string; interval_count: number }): string {
  return `${formatMoney(p.amount, p.currency)} / ${intervalText(p.interval, p.interval_count)}`;
}

/** "Monthly", "Yearly", "Every 3 months". */
export function planName(p: { interval: string; interval_count: number }): string {
  if (p.interval_count === 1)
    return { day: "Daily", week: "Weekly", month: "Monthly", year: "Yearly" }[p.interval] ?? p.interval;
  return `Every ${intervalText(p.interval, p.interval_count)}`;
}

const DAYS: Record<string, number> = { day: 1, week: 7, month: 365 / 12, year: 365 };

/** What a plan saves against the entry's shortest plan over a year, in whole percent (only when it does). */
export function savingPercent(
  plan: { amount: number; currency: string; interval: string; interval_count: number },
  base: { amount: number; currency: string; interval: string; interval_count: number },
): number | null {
  if (plan.currency !== base.currency || plan === base) return null;
  const perDay = (p: typeof plan) => p.amount / ((DAYS[p.interval] ?? 30) * p.interval_count);
  const saving = Math.round((1 - perDay(plan) / perDay(base)) * 100);
  return saving >= 1 ? saving : null;
}
