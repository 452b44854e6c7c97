/**
 * The conversation sent to the model, trimmed to a budget (CHAT_HISTORY_MAX_CHARS): the newest
 * items are kept whole while they fit, older ones are left out, and the newest item is always
 * sent. A tool result never opens the history without the call it answers.
 */
import "server-only";
import type { ResponseInputItem } from "openai/resources/responses/responses";

export function itemChars(item: ResponseInputItem): number {
  return JSON.stringify(item).length;
}

export function trimHistory(items: ResponseInputItem[], budgetChars: number): ResponseInputItem[] {
  let used = 0;
  let start = items.length;
  while (start > 0) {
    const size = itemChars(items[start - 1]!);
    if (start < items.length && used + size > budgetChars) break;
    used += size;
    start--;
  }
  while (start < items.length - 1 && items[start]?.type === "function_call_output") start++;
  return start === 0 ? items : items.slice(start);
}
