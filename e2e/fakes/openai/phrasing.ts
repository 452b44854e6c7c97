/**
 * The "phrasing" mode of the fake model: a stand-in for a real model that answers in its own
 * words. It understands a message as the script does (a fact about the user, a theme request,
 * "what do you know about me"), but words its replies and the facts it saves differently from
 * the script, with a seeded choice among several phrasings, and sometimes (as real models do)
 * answers a stated fact without calling `save_fact` until it is asked plainly to save it.
 * Tests that pass against it assert structure and state, never wording.
 *
 * The seed decides every choice (together with the message it answers), so a run can be
 * repeated with the seed it printed; a new seed words the next run differently. Fault markers
 * (`[fault:…]`, `[deltas:…]`) are plain text here, as they would be to a real model.
 *
 *   start(port, { phrasing: "<seed>" })   or   tsx e2e/fakes/openai/server.ts --phrasing <seed>
 */
import { createHash } from "node:crypto";
import {
  contentText,
  factFrom,
  factsFromDocuments,
  fileSearchStores,
  inputItems,
  messages,
  offeredFunctions,
  themeFrom,
  toDeltas,
  visibleFacts,
  type Plan,
  type PlannedItem,
  type Searcher,
} from "./script";

type Item = Record<string, unknown>;

/** A number in [0, 1) from the seed and what is being decided (sha256, so any seed string works). */
function draw(seed: string, ...what: string[]): number {
  const digest = createHash("sha256")
    .update([seed, ...what].join("\u0000"))
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

function pick<T>(options: readonly T[], seed: string, ...what: string[]): T {
  return options[Math.floor(draw(seed, ...what) * options.length)]!;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The script's third-person fact, reworded: "User's name is Ada" → "Their name is Ada", "Name: Ada", … */
export function rewordFact(scripted: string, seed: string): string {
  const possessive = /^User's\s+(.+?)\s+(is|are|was)\s+(.+)$/.exec(scripted);
  if (possessive) {
    const [, what = "", verb = "", value = ""] = possessive;
    return pick(
      [
        `Their ${what} ${verb} ${value}`,
        `${cap(what)}: ${value}`,
        `The person's ${what} ${verb} ${value}`,
        `This person's ${what} ${verb} ${value}`,
      ],
      seed,
      "fact",
      scripted,
    );
  }
  const predicate = /^User\s+(.+)$/.exec(scripted)?.[1] ?? scripted;
  return pick([cap(predicate), `This person ${predicate}`, `The person ${predicate}`], seed, "fact", scripted);
}

/** A fact stated anywhere in the message: the whole text, or a clause after "save this: …". */
export function statedFact(text: string): string | undefined {
  return [text, ...text.split(/[:;]\s*|(?<=[.!])\s+/)].map((part) => factFrom(part.trim())).find(Boolean);
}

/** "Please save …", "remember that …": a plain request to keep a fact, which is never ignored. */
const PLAIN_REQUEST = /\b(save|remember|note down|keep in mind|store)\b/i;

const ACK_FACT = [
  "I've put that on a card for you. Keep it if you'd like me to remember it.",
  "Got it. There's a card above where you can keep or drop that.",
  "Thanks for telling me! Use the card to decide whether I should hold on to it.",
  "Lovely. Confirm it on the card whenever you're ready.",
] as const;
const ACK_THEME = [
  (t: string) => `Switched you over to ${t} mode.`,
  (t: string) => `There you go: ${t} mode is on.`,
  (t: string) => `All set, the interface is ${t} now. Enjoy!`,
] as const;
const ANSWER_WITHOUT_TOOL = [
  "Nice to meet you! What else would you like to share?",
  "How lovely. Tell me a bit more about yourself.",
  "That's good to know. What do you enjoy doing in your free time?",
] as const;
const SMALL_TALK = [
  "Happy to chat! What should I call you?",
  "Sure thing. Tell me a little about yourself: where are you based?",
  "I'm here to get to know you. What do you do for a living?",
  "Of course. What would you like me to remember about you?",
] as const;
const RECALL_SOME = [
  (facts: string[]) => `From what you've shared: ${facts.join(", ")}.`,
  (facts: string[]) => `I remember the following. ${facts.map((f) => `${f}.`).join(" ")}`,
  (facts: string[]) => `You told me that: ${facts.join("; ")}.`,
] as const;
const RECALL_NONE = [
  "Nothing yet! Tell me about yourself and I can keep it in mind.",
  "I don't have anything saved about you so far.",
] as const;

const RECALL = /what do you (know|remember) about me|what have i told you|what do you know of me/i;

function toolArguments(items: Item[], output: Item): { name: string; args: Record<string, unknown> } {
  const call = items.find((i) => i.type === "function_call" && i.call_id === output.call_id);
  const name = typeof call?.name === "string" ? call.name : "";
  try {
    const args = typeof call?.arguments === "string" ? (JSON.parse(call.arguments) as unknown) : {};
    return { name, args: args && typeof args === "object" ? (args as Record<string, unknown>) : {} };
  } catch {
    return { name, args: {} };
  }
}

/** A planner like the script's `plan`, wording everything by `seed`. */
export function phrasingPlanner(seed: string): (body: Record<string, unknown>, search: Searcher) => Plan {
  return (body, search) => {
    const items = inputItems(body.input);
    const text = messages(items)
      .filter((m) => m.role === "user")
      .at(-1)
      ?.text.trim();
    const last = items.at(-1);
    const tools = offeredFunctions(body);
    const say = (reply: string): PlannedItem => ({ type: "message", deltas: toDeltas(reply) });
    const call = (name: string, args: unknown): PlannedItem => ({
      type: "function_call",
      name,
      arguments: JSON.stringify(args),
    });
    const done = (...planned: PlannedItem[]): Plan => ({ items: planned, controls: {} });

    if (last?.type === "function_call_output") {
      const { name, args } = toolArguments(items, last);
      const key = contentText(last.output);
      if (name === "switch_theme" && typeof args.theme === "string")
        return done(say(pick(ACK_THEME, seed, "ack-theme", key)(args.theme)));
      return done(say(pick(ACK_FACT, seed, "ack", key)));
    }
    if (!text) return done(say(pick(SMALL_TALK, seed, "empty")));

    const theme = themeFrom(text);
    if (theme && tools.has("switch_theme")) return done(call("switch_theme", { theme }));

    const fact = statedFact(text);
    if (fact && tools.has("save_fact")) {
      // A third of the plain statements are answered without the tool, as a real model may.
      if (!PLAIN_REQUEST.test(text) && draw(seed, "skip-tool", text) < 1 / 3)
        return done(say(pick(ANSWER_WITHOUT_TOOL, seed, "no-tool", text)));
      return done(call("save_fact", { fact: rewordFact(fact, seed) }));
    }

    if (RECALL.test(text)) {
      const facts = visibleFacts(body, items);
      const stores = fileSearchStores(body);
      const planned: PlannedItem[] = [];
      if (stores.length) {
        const results = search(stores, text);
        planned.push({ type: "file_search_call", queries: [text], results });
        facts.push(...factsFromDocuments(results).filter((f) => !facts.includes(f)));
      }
      const reply = facts.length ? pick(RECALL_SOME, seed, "recall")(facts) : pick(RECALL_NONE, seed, "recall-none");
      return done(...planned, say(reply));
    }
    return done(say(pick(SMALL_TALK, seed, "talk", text)));
  };
}
