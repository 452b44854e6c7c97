import type { ResponseInputItem } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import { itemChars, trimHistory } from "./history";

const user = (text: string): ResponseInputItem => ({ role: "user", content: text });
const assistant = (text: string): ResponseInputItem => ({ role: "assistant", content: text });

describe("trimHistory", () => {
  it("keeps everything that fits the budget", () => {
    const items = [user("a"), assistant("b"), user("c")];
    expect(trimHistory(items, 10_000)).toEqual(items);
  });

  it("drops the oldest items first and stays within the budget", () => {
    const big = "x".repeat(4000);
    const items = [user(big), assistant(big), user(big), assistant("short"), user("latest")];
    const kept = trimHistory(items, 5000);
    expect(kept.at(-1)).toEqual(user("latest"));
    expect(kept.reduce((n, i) => n + itemChars(i), 0)).toBeLessThanOrEqual(5000);
    expect(kept).toEqual(items.slice(2));
  });

  it("always sends the newest item, even when it alone is over the budget", () => {
    const items = [user("old"), user("y".repeat(10_000))];
    expect(trimHistory(items, 100)).toEqual([items[1]]);
  });

  it("never starts with a tool result whose call was trimmed away", () => {
    const items: ResponseInputItem[] = [
      user("z".repeat(3000)),
      { type: "function_call", call_id: "c1", name: "save_fact", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "o".repeat(50) },
      user("latest"),
    ];
    const budget = itemChars(items[2]!) + itemChars(items[3]!) + 10;
    expect(trimHistory(items, budget)).toEqual([items[3]]);
  });
});
