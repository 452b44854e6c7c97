import { describe, expect, it, vi } from "vitest";
import { createClientToolHandler } from "./client-tools";

function setup() {
  const deps = { setTheme: vi.fn(), recordFact: vi.fn() };
  return { deps, handle: createClientToolHandler(deps) };
}

describe("client tools", () => {
  it("switch_theme applies the requested theme and reports it back", () => {
    const { deps, handle } = setup();
    expect(handle({ name: "switch_theme", params: { theme: "dark" } })).toEqual({ success: true, theme: "dark" });
    expect(handle({ name: "switch_theme", params: { theme: "light" } })).toEqual({ success: true, theme: "light" });
    expect(deps.setTheme.mock.calls).toEqual([["dark"], ["light"]]);
  });

  it("switch_theme with an unknown or missing theme changes nothing and says why", () => {
    const { deps, handle } = setup();
    for (const params of [{ theme: "purple" }, {}, { theme: 1 }]) {
      const result = handle({ name: "switch_theme", params });
      expect(result.success).toBe(false);
      expect(String(result.error)).toMatch(/light.*dark/);
    }
    expect(deps.setTheme).not.toHaveBeenCalled();
  });

  it("record_fact shows a fact once per fact id however often the tool repeats it", () => {
    const { deps, handle } = setup();
    const call = { name: "record_fact", params: { fact_id: "fact_1", fact_text: "Lives in Oslo" } };
    expect(handle(call)).toEqual({ success: true });
    expect(handle(call)).toEqual({ success: true });
    expect(handle({ name: "record_fact", params: { fact_id: "fact_2", fact_text: "Likes tea" } })).toEqual({
      success: true,
    });
    expect(deps.recordFact.mock.calls).toEqual([
      [{ id: "fact_1", text: "Lives in Oslo" }],
      [{ id: "fact_2", text: "Likes tea" }],
    ]);
  });

  it("record_fact without an id or text is refused", () => {
    const { deps, handle } = setup();
    expect(handle({ name: "record_fact", params: { fact_id: "  ", fact_text: "x" } }).success).toBe(false);
    expect(handle({ name: "record_fact", params: { fact_id: "fact_1" } }).success).toBe(false);
    expect(deps.recordFact).not.toHaveBeenCalled();
  });

  it("an unknown tool answers with an error naming it", () => {
    const { handle } = setup();
    expect(handle({ name: "launch_rocket", params: {} })).toEqual({
      success: false,
      error: "Unknown client tool: launch_rocket",
    });
  });
});
