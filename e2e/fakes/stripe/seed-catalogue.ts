/**
 * The small micro-agent catalogue a fresh install shows: three products, each naming the hosted
 * workflow it unlocks in `metadata.workflow_id`, with monthly and (for two) yearly prices. The
 * local Stripe fake starts with it; `scripts/stripe-seed-catalogue.ts` creates the same products
 * and prices in a real Stripe test account. Amounts are in cents.
 */
export type SeedProduct = {
  id: string;
  name: string;
  description: string;
  workflowId: string;
  prices: { id: string; lookupKey: string; amount: number; interval: "month" | "year" }[];
};

export const SEED_CATALOGUE: readonly SeedProduct[] = [
  {
    id: "prod_inbox_triage",
    name: "Inbox triage",
    description: "Reads new email, labels what needs you today and drafts replies for you to approve.",
    workflowId: "wf_inbox_triage",
    prices: [
      { id: "price_inbox_triage_monthly", lookupKey: "inbox_triage_monthly", amount: 900, interval: "month" },
      { id: "price_inbox_triage_yearly", lookupKey: "inbox_triage_yearly", amount: 9000, interval: "year" },
    ],
  },
  {
    id: "prod_meeting_notes",
    name: "Meeting notes",
    description: "Turns call transcripts into decisions, owners and follow-ups, and sends the summary.",
    workflowId: "wf_meeting_notes",
    prices: [
      { id: "price_meeting_notes_monthly", lookupKey: "meeting_notes_monthly", amount: 1500, interval: "month" },
      { id: "price_meeting_notes_yearly", lookupKey: "meeting_notes_yearly", amount: 15000, interval: "year" },
    ],
  },
  {
    id: "prod_research_digest",
    name: "Research digest",
    description: "A weekly brief on the topics you follow, every claim linked to its source.",
    workflowId: "wf_research_digest",
    prices: [
      { id: "price_research_digest_monthly", lookupKey: "research_digest_monthly", amount: 2900, interval: "month" },
    ],
  },
];
