/** The model's instructions: the system prompt plus what the user has saved (recall across threads). */
import { listSavedFacts } from "@/lib/facts/repository";
import { KNOWN_FACTS_HEADING, SYSTEM_PROMPT } from "./constants";

const RECALL_LIMIT = 100;

export async function buildInstructions(userId: string): Promise<string> {
  // The newest ones when there are many: recent facts matter most.
  const facts = (await listSavedFacts(userId)).slice(-RECALL_LIMIT);
  if (facts.length === 0) return SYSTEM_PROMPT;
  const lines = facts.map((f) => `- ${f.text.replace(/\s+/g, " ")}`);
  return `${SYSTEM_PROMPT}\n\n${KNOWN_FACTS_HEADING}\n${lines.join("\n")}`;
}
