/** The model's instructions: the system prompt plus what the user has saved (recall across threads). */
import "server-only";
import { KNOWN_FACTS_HEADING, SYSTEM_PROMPT } from "./constants";

/** How many saved facts the model is told (the newest ones when there are more: recent facts matter most). */
export const RECALL_LIMIT = 100;

/** `facts`: the recalled facts' texts, oldest first. */
export function instructionsWith(facts: readonly string[]): string {
  if (facts.length === 0) return SYSTEM_PROMPT;
  const lines = facts.map((text) => `- ${text.replace(/\s+/g, " ")}`);
  return `${SYSTEM_PROMPT}\n\n${KNOWN_FACTS_HEADING}\n${lines.join("\n")}`;
}
