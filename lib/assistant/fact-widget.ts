/** The fact confirmation card: pending (Save / Discard buttons) and settled (a badge, no buttons). */
import "server-only";
import { Badge, Button, Card, Row, Spacer, Text, Title } from "@/lib/chatkit/widgets";
import type { WidgetRoot } from "@/lib/chatkit/types";
import type { FactStatus } from "@/db/schema";
import { FACT_CARD_TITLE, FACT_DISCARDED_LABEL, FACT_SAVED_LABEL } from "./constants";

export const FACT_ACTIONS = { save: "fact.save", discard: "fact.discard" } as const;

export function pendingFactCard(fact: { id: string; text: string }): WidgetRoot {
  const payload = { fact_id: fact.id };
  return Card({
    size: "sm",
    children: [
      Title({ value: FACT_CARD_TITLE, size: "sm" }),
      Text({ value: fact.text }),
      Row({
        gap: 2,
        children: [
          Spacer(),
          Button({
            label: "Discard",
            style: "secondary",
            variant: "outline",
            onClickAction: { type: FACT_ACTIONS.discard, payload },
          }),
          Button({ label: "Save", style: "primary", onClickAction: { type: FACT_ACTIONS.save, payload } }),
        ],
      }),
    ],
  });
}

export function settledFactCard(fact: { text: string; status: FactStatus }): WidgetRoot {
  const saved = fact.status === "saved";
  return Card({
    size: "sm",
    children: [
      Row({
        gap: 2,
        children: [
          Text({ value: fact.text }),
          Spacer(),
          Badge({ label: saved ? FACT_SAVED_LABEL : FACT_DISCARDED_LABEL, color: saved ? "success" : "secondary" }),
        ],
      }),
    ],
  });
}
