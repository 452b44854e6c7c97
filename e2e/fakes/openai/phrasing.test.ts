/** The phrasing mode: the script's understanding, other words, a seeded choice, and the tool sometimes skipped. */
import { describe, expect, it } from "vitest";
import { phrasingPlanner, rewordFact, statedFact } from "./phrasing";
import { plan, type Plan } from "./script";

const tools = [
  { type: "function", name: "save_fact" },
  { type: "function", name: "switch_theme" },
];
const noSearch = () => [];
const ask = (seed: string, text: string): Plan => phrasingPlanner(seed)({ input: text, tools }, noSearch);
const SEEDS = Array.from({ length: 40 }, (_, i) => `seed-${i}`);

function factCalled(result: Plan): string | undefined {
  const call = result.items.find((i) => i.type === "function_call" && i.name === "save_fact");
  return call?.type === "function_call" ? (JSON.parse(call.arguments) as { fact: string }).fact : undefined;
}
const replyText = (result: Plan) =>
  result.items.flatMap((i) => (i.type === "message" ? [i.deltas.join("")] : [])).join("");

describe("phrasing mode", () => {
  it("saves the stated fact in words other than the script's, and several seeds give several wordings", () => {
    const scripted = factCalled(plan({ input: "My name is Ada", tools }, noSearch));
    expect(scripted).toBe("User's name is Ada");
    const worded = SEEDS.map((seed) => factCalled(ask(seed, "Please save this fact about me: my name is Ada")));
    for (const fact of worded) {
      expect(fact).toMatch(/Ada/);
      expect(fact).not.toBe(scripted);
      expect(fact).not.toMatch(/^User/);
    }
    expect(new Set(worded).size).toBeGreaterThan(2);
  });

  it("rewords both kinds of scripted fact", () => {
    expect(rewordFact("User lives in Oslo", "a")).toMatch(/lives in Oslo$/);
    expect(rewordFact("User's name is Ada", "b")).toMatch(/Ada$/);
    expect(statedFact("Hello! Remember this: I live in Oslo.")).toBe("User lives in Oslo");
    expect(statedFact("What is the weather?")).toBeUndefined();
  });

  it("answers some plain statements without the tool, but never a plain request to save", () => {
    const skipped = SEEDS.filter((seed) => factCalled(ask(seed, "I live in Oslo")) === undefined);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.length).toBeLessThan(SEEDS.length);
    for (const seed of skipped) {
      expect(replyText(ask(seed, "I live in Oslo"))).not.toBe("");
      expect(factCalled(ask(seed, "Please remember this fact about me: I live in Oslo"))).toMatch(/Oslo/);
    }
  });

  it("is repeatable for one seed", () => {
    expect(ask("fixed", "I am a nurse")).toEqual(ask("fixed", "I am a nurse"));
  });

  it("switches the theme by the tool and acknowledges the result in its own words", () => {
    expect(ask("x", "Please switch to dark mode").items).toEqual([
      { type: "function_call", name: "switch_theme", arguments: '{"theme":"dark"}' },
    ]);
    const acks = SEEDS.map((seed) =>
      replyText(
        phrasingPlanner(seed)(
          {
            input: [
              { role: "user", content: "dark mode please" },
              { type: "function_call", call_id: "c1", name: "switch_theme", arguments: '{"theme":"dark"}' },
              { type: "function_call_output", call_id: "c1", output: `{"ok":true,"n":"${seed}"}` },
            ],
            tools,
          },
          noSearch,
        ),
      ),
    );
    for (const ack of acks) expect(ack).not.toContain("the theme is now dark");
    expect(new Set(acks).size).toBeGreaterThan(1);
  });

  it("ignores the script's fault markers, as a real model would", () => {
    const result = ask("m", "[deltas:500] tell me everything");
    expect(result.controls).toEqual({});
    expect(replyText(result)).not.toMatch(/w499/);
  });
});
