/** A short thread title from the first user message: its first line, cut at a word boundary. */
import "server-only";
import type { UserMessageItem } from "@/lib/chatkit/types";
import { THREAD_TITLE_MAX } from "./constants";

export function titleFromMessage(message: UserMessageItem): string | undefined {
  const text = message.content
    .map((part) => (part.type === "input_text" ? part.text : `@${part.text}`))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return undefined;
  if (text.length <= THREAD_TITLE_MAX) return text;
  const cut = text.slice(0, THREAD_TITLE_MAX - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > THREAD_TITLE_MAX / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
