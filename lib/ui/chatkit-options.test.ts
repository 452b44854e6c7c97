import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  buildChatKitOptions,
  chatkitTheme,
  describeOptions,
  optionsScriptJson,
  type BuildInput,
} from "./chatkit-options";
import { PALETTE } from "./theme";

function input(overrides: Partial<BuildInput> = {}): BuildInput {
  return {
    config: { mode: "self-hosted", domainKey: "domain_pk_test" },
    theme: "light",
    fetch: vi.fn<typeof fetch>(),
    getClientSecret: vi.fn(async () => "secret"),
    onClientTool: vi.fn(() => ({ success: true })),
    initialThread: null,
    ...overrides,
  };
}

describe("ChatKit options", () => {
  it("self-hosted mode talks to /chatkit with the domain key and our credentialed fetch", () => {
    const args = input();
    const options = buildChatKitOptions(args);
    expect(options.api).toEqual({ url: "/chatkit", domainKey: "domain_pk_test", fetch: args.fetch });
  });

  it("hosted mode gets client secrets and does not name our endpoint", () => {
    const args = input({ config: { mode: "hosted", domainKey: "domain_pk_test" } });
    const options = buildChatKitOptions(args);
    expect(options.api).toEqual({ getClientSecret: args.getClientSecret });
  });

  it("turns on history, feedback and retry, and sets the start screen for the fact assistant", () => {
    const options = buildChatKitOptions(input());
    expect(options.history).toEqual({ enabled: true, showDelete: true, showRename: true });
    expect(options.threadItemActions).toEqual({ feedback: true, retry: true });
    expect(options.startScreen?.greeting).toMatch(/remember/i);
    expect(options.startScreen?.prompts?.length).toBeGreaterThanOrEqual(3);
    expect(options.composer?.placeholder).toBeTruthy();
  });

  it("ChatKit's colours follow the page's CSS variables in both schemes", () => {
    const css = readFileSync(path.resolve("app/globals.css"), "utf8");
    const block = (selector: string) => css.slice(css.indexOf(selector), css.indexOf("}", css.indexOf(selector)));
    const variable = (text: string, name: string) => new RegExp(`--${name}:\\s*([^;]+);`).exec(text)?.[1]?.trim();
    for (const [theme, selector] of [
      ["light", ":root {"],
      ["dark", '[data-theme="dark"] {'],
    ] as const) {
      const vars = block(selector);
      expect(PALETTE[theme]).toEqual({
        background: variable(vars, "card"),
        foreground: variable(vars, "fg"),
        accent: variable(vars, "accent"),
      });
      const option = chatkitTheme(theme);
      expect(option.colorScheme).toBe(theme);
      expect(option.color?.accent?.primary).toBe(PALETTE[theme].accent);
      expect(option.color?.surface).toEqual({
        background: PALETTE[theme].background,
        foreground: PALETTE[theme].foreground,
      });
    }
  });

  it("the DOM description shows where functions are wired without serialising them", () => {
    const described = describeOptions(buildChatKitOptions(input({ theme: "dark" }))) as Record<
      string,
      Record<string, unknown>
    >;
    expect(described.api).toEqual({ url: "/chatkit", domainKey: "domain_pk_test", fetch: "function" });
    expect(described.onClientTool).toBe("function");
    expect(described.theme?.colorScheme).toBe("dark");
    expect(described.initialThread).toBeNull();
  });

  it("the JSON for the page cannot close its <script> element", () => {
    const json = optionsScriptJson(
      buildChatKitOptions(input({ config: { mode: "self-hosted", domainKey: "</script><b>" } })),
    );
    expect(json).not.toContain("<");
    expect(JSON.parse(json).api.domainKey).toBe("</script><b>");
  });
});
