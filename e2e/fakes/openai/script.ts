/**
 * The fake model: a deterministic script that reads the conversation and decides the output.
 *
 *   last input item is a function_call_output  → a short text acknowledging the tool result
 *   last user message asks for dark/light mode → `switch_theme` call {"theme":"dark"|"light"}
 *   last user message states a fact about the user ("My name is Kaz", "I live in Oslo",
 *     "I am a nurse", "I like tea") → `save_fact` call {"fact":"User's name is Kaz"}
 *   "what do you know about me?" → a text listing the facts it can see: bullet lines under a
 *     heading mentioning facts/memory in the instructions or system/developer messages, lines
 *     starting with "User", earlier save_fact calls in the input, and, when a file_search tool
 *     is offered, the documents in those vector stores (a file_search_call item comes first)
 *   anything else → a short helpful text, streamed in several deltas
 * Tools are called only when the request offers them (and tool_choice is not "none").
 */
import { isRecord } from "./wire";
import { readMarkers, type Controls } from "./faults";

export type SearchResult = {
  file_id: string;
  filename: string;
  score: number;
  text: string;
  attributes: Record<string, unknown>;
};

export type PlannedItem =
  | { type: "message"; deltas: string[] }
  | { type: "function_call"; name: string; arguments: string }
  | { type: "file_search_call"; queries: string[]; results: SearchResult[] };

export type Plan = { items: PlannedItem[]; controls: Controls };

type Message = { role: string; text: string };
type Item = Record<string, unknown>;

/** A searcher over the fake's vector stores, so recall can use file_search. */
export type Searcher = (vectorStoreIds: string[], query: string) => SearchResult[];

export function inputItems(input: unknown): Item[] {
  if (typeof input === "string") return [{ type: "message", role: "user", content: input }];
  return Array.isArray(input) ? input.filter(isRecord) : [];
}

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter(isRecord)
    .map((part) => (typeof part.text === "string" ? part.text : ""))
    .filter(Boolean)
    .join("\n");
}

export function messages(items: Item[]): Message[] {
  return items
    .filter((i) => (i.type === undefined || i.type === "message") && typeof i.role === "string")
    .map((i) => ({ role: i.role as string, text: contentText(i.content) }));
}

export function offeredFunctions(body: Record<string, unknown>): Set<string> {
  if (body.tool_choice === "none" || !Array.isArray(body.tools)) return new Set();
  return new Set(
    body.tools.filter(isRecord).flatMap((t) => (t.type === "function" && typeof t.name === "string" ? [t.name] : [])),
  );
}

export function fileSearchStores(body: Record<string, unknown>): string[] {
  if (!Array.isArray(body.tools)) return [];
  return body.tools
    .filter(isRecord)
    .flatMap((t) => (t.type === "file_search" && Array.isArray(t.vector_store_ids) ? t.vector_store_ids : []))
    .filter((id): id is string => typeof id === "string");
}

/** Splits text into word-sized deltas (two words each), so every reply streams in several pieces. */
export function toDeltas(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 2) out.push(words.slice(i, i + 2).join(""));
  return out.length ? out : [""];
}

const VERB_3RD: Record<string, string> = {
  live: "lives",
  work: "works",
  like: "likes",
  love: "loves",
  enjoy: "enjoys",
  prefer: "prefers",
  speak: "speaks",
  study: "studies",
  hate: "hates",
  dislike: "dislikes",
  play: "plays",
  own: "owns",
  have: "has",
  grew: "grew",
  was: "was",
  come: "comes",
  drive: "drives",
  teach: "teaches",
};

/** "My name is Kaz" → "User's name is Kaz"; "I live in Oslo" → "User lives in Oslo"; else undefined. */
export function factFrom(text: string): string | undefined {
  const sentence = text
    .trim()
    .replace(/^(hi|hello|hey)\b[,!.]?\s*/i, "")
    .replace(/[.!]+$/, "")
    .trim();
  if (!sentence || sentence.endsWith("?")) return undefined;
  const rest = (s: string) => s.replace(/\bmy\b/gi, "their").replace(/\bI am\b|\bI'm\b/gi, "they are");
  let m = /^my\s+(.+?)\s+(is|are|was)\s+(.+)$/i.exec(sentence);
  if (m) return `User's ${m[1]} ${m[2]!.toLowerCase()} ${rest(m[3]!)}`;
  m = /^(?:i am|i'm|im)\s+(.+)$/i.exec(sentence);
  if (m) return `User is ${rest(m[1]!)}`;
  m = /^i\s+(\w+)\s+(.+)$/i.exec(sentence);
  const verb = m?.[1]?.toLowerCase();
  if (m && verb && VERB_3RD[verb]) return `User ${VERB_3RD[verb]} ${rest(m[2]!)}`;
  return undefined;
}

export function themeFrom(text: string): "dark" | "light" | undefined {
  const m =
    /\b(dark|light)\s+(mode|theme)\b/i.exec(text) ??
    /\b(?:switch|change|set|turn|go|use|make)\b.*\b(dark|light)\b/i.exec(text);
  return m?.[1]?.toLowerCase() as "dark" | "light" | undefined;
}

const RECALL = /what do you (know|remember) about me|what have i told you|what do you know of me/i;

/** Facts visible in the request: listed under a facts/memory heading, "User ..." lines, earlier save_fact calls. */
export function visibleFacts(body: Record<string, unknown>, items: Item[]): string[] {
  const texts = [
    typeof body.instructions === "string" ? body.instructions : "",
    ...messages(items)
      .filter((m) => m.role === "system" || m.role === "developer")
      .map((m) => m.text),
  ];
  const facts: string[] = [];
  for (const text of texts) {
    let underHeading = false;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      const bullet = /^(?:[-*•]|\d+[.)])\s+(.+)$/.exec(line);
      if (bullet) {
        if (underHeading) facts.push(bullet[1]!.trim());
      } else if (/^User(?:'s)?\s/.test(line)) {
        facts.push(line);
      } else if (line !== "") {
        underHeading = /fact|memor|know about|about the user/i.test(line);
      }
    }
  }
  for (const item of items) {
    if (item.type !== "function_call" || item.name !== "save_fact" || typeof item.arguments !== "string") continue;
    try {
      const args = JSON.parse(item.arguments) as { fact?: unknown };
      if (typeof args.fact === "string") facts.push(args.fact);
    } catch {
      // a malformed replayed call is not a fact
    }
  }
  return [...new Set(facts)];
}

export function factsFromDocuments(results: SearchResult[]): string[] {
  return results.map((r) => {
    try {
      const doc = JSON.parse(r.text) as { text?: unknown; fact?: unknown };
      if (typeof doc.text === "string") return doc.text;
      if (typeof doc.fact === "string") return doc.fact;
    } catch {
      // plain-text document
    }
    return r.text;
  });
}

function acknowledge(items: Item[], output: Item): string {
  const call = items.find((i) => i.type === "function_call" && i.call_id === output.call_id);
  const name = typeof call?.name === "string" ? call.name : "the tool";
  let args: Record<string, unknown> = {};
  try {
    args = typeof call?.arguments === "string" ? (JSON.parse(call.arguments) as Record<string, unknown>) : {};
  } catch {
    args = {};
  }
  if (name === "save_fact" && typeof args.fact === "string") return `Noted: ${args.fact}. Anything else?`;
  if (name === "switch_theme" && typeof args.theme === "string") return `Done, the theme is now ${args.theme}.`;
  const result = typeof output.output === "string" ? output.output : contentText(output.output);
  return `Done. ${name} replied: ${result.slice(0, 120)}`;
}

function defaultReply(text: string): string {
  if (/^(hi|hello|hey)\b/i.test(text))
    return "Hello! How can I help you today? Tell me about yourself and I can remember it.";
  const topic = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `Here is a short answer about "${topic}": I am a local test model, so I keep it brief. Ask me to remember a fact or to switch the theme.`;
}

export function plan(body: Record<string, unknown>, search: Searcher): Plan {
  const items = inputItems(body.input);
  const userMessages = messages(items).filter((m) => m.role === "user");
  const { controls, text } = readMarkers(userMessages.at(-1)?.text ?? "");
  const last = items.at(-1);
  const tools = offeredFunctions(body);
  const say = (reply: string): PlannedItem => ({ type: "message", deltas: toDeltas(reply) });

  if (controls.deltas) {
    const deltas = Array.from({ length: controls.deltas }, (_, i) => (i === controls.deltas! - 1 ? `w${i}` : `w${i} `));
    return { items: [{ type: "message", deltas }], controls };
  }
  if (last?.type === "function_call_output") return { items: [say(acknowledge(items, last))], controls };

  const theme = themeFrom(text);
  if (theme && tools.has("switch_theme")) {
    return { items: [{ type: "function_call", name: "switch_theme", arguments: JSON.stringify({ theme }) }], controls };
  }
  const fact = factFrom(text);
  if (fact && tools.has("save_fact")) {
    return { items: [{ type: "function_call", name: "save_fact", arguments: JSON.stringify({ fact }) }], controls };
  }
  if (RECALL.test(text)) {
    const planned: PlannedItem[] = [];
    const facts = visibleFacts(body, items);
    const stores = fileSearchStores(body);
    if (stores.length) {
      const results = search(stores, text);
      planned.push({ type: "file_search_call", queries: [text], results });
      facts.push(...factsFromDocuments(results).filter((f) => !facts.includes(f)));
    }
    const reply = facts.length
      ? `Here is what I know about you: ${facts.join("; ")}.`
      : "I don't know anything about you yet. Tell me something and I can remember it.";
    planned.push(say(reply));
    return { items: planned, controls };
  }
  return { items: [say(defaultReply(text || "your message"))], controls };
}
