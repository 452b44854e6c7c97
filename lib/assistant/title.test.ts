import { describe, expect, it } from "vitest";
import type { UserMessageItem } from "@/lib/chatkit/types";
import { titleFromMessage } from "./title";

const message = (text: string) => ({ content: [{ type: "input_text", text }] }) as unknown as UserMessageItem;

describe("thread titles", () => {
  it("uses a short first message as it is, with whitespace folded", () => {
    expect(titleFromMessage(message("  My name   is\nKaz "))).toBe("My name is Kaz");
  });
  it("cuts a long message at a word boundary with an ellipsis, within 60 characters", () => {
    const title = titleFromMessage(
      message("I would like to tell you about my many hobbies including climbing, chess and baking"),
    )!;
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title.endsWith("…")).toBe(true);
    expect(title).toMatch(/^I would like to tell you about my many hobbies including…$/);
  });
  it("gives no title for an empty message", () => {
    expect(titleFromMessage(message("   "))).toBeUndefined();
  });
});
