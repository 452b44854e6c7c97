import { describe, expect, it } from "vitest";
import { FACT_MAX_LENGTH } from "@/lib/facts/repository";
import { createClientToolHandler } from "@/lib/ui/client-tools";
import { CLIENT_TOOLS, SAVE_FACT, saveFactArgsSchema, TOOLS } from ".";

describe("the model's tools", () => {
  it("their JSON Schemas, derived from the zod schemas, are what strict function calling takes", () => {
    expect(TOOLS.map(({ name, strict, parameters }) => ({ name, strict, parameters }))).toEqual([
      {
        name: "save_fact",
        strict: true,
        parameters: {
          type: "object",
          properties: { fact: { type: "string", description: "The fact, as a short third-person statement." } },
          required: ["fact"],
          additionalProperties: false,
        },
      },
      {
        name: "switch_theme",
        strict: true,
        parameters: {
          type: "object",
          properties: { theme: { type: "string", enum: ["light", "dark"] } },
          required: ["theme"],
          additionalProperties: false,
        },
      },
    ]);
  });

  it("save_fact's arguments are parsed with the schema the model was shown, plus its bounds", () => {
    expect(saveFactArgsSchema.parse({ fact: "  Likes tea  " })).toEqual({ fact: "Likes tea" });
    expect(saveFactArgsSchema.safeParse({ fact: "   " }).success).toBe(false);
    expect(saveFactArgsSchema.safeParse({ fact: "x".repeat(FACT_MAX_LENGTH + 1) }).success).toBe(false);
    expect(SAVE_FACT).toBe("save_fact");
  });

  it("every client tool the model is offered, with every value of its enum, is one the browser handles", () => {
    const themes: string[] = [];
    const handle = createClientToolHandler({ setTheme: (t) => themes.push(t), recordFact: () => {} });
    const switchTheme = TOOLS.find((t) => CLIENT_TOOLS.includes(t.name));
    const offered = (switchTheme?.parameters as { properties: { theme: { enum: string[] } } }).properties.theme.enum;
    for (const theme of offered)
      expect(handle({ name: switchTheme!.name, params: { theme } })).toEqual({ success: true, theme });
    expect(themes).toEqual(offered);
  });
});
