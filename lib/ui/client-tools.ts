/**
 * The assistant's client tools, run in the browser: `switch_theme` changes the page theme;
 * `record_fact` (kept for the earlier frontend) shows a fact at once, once per fact id.
 * Bad parameters or unknown tools answer `{success: false, error}` so the model hears why.
 */
// zod/mini: the same checks at a fraction of the browser bundle.
import { z } from "zod/mini";
import { RECORD_FACT, SWITCH_THEME } from "./client-tool-names";
import { THEMES, type Theme } from "./theme";

const switchThemeParamsSchema = z.object({ theme: z.enum(THEMES) });
const recordFactParamsSchema = z.object({
  fact_id: z.string().check(z.trim(), z.minLength(1)),
  fact_text: z.string().check(z.trim(), z.minLength(1)),
});

export type ClientToolCall = { name: string; params: Record<string, unknown> };
export type ClientToolDeps = {
  setTheme(theme: Theme): void;
  recordFact(fact: { id: string; text: string }): void;
};

export function createClientToolHandler(deps: ClientToolDeps): (call: ClientToolCall) => Record<string, unknown> {
  const recorded = new Set<string>();
  return ({ name, params }) => {
    if (name === SWITCH_THEME) {
      const parsed = switchThemeParamsSchema.safeParse(params);
      if (!parsed.success)
        return { success: false, error: `theme must be ${THEMES.map((t) => `"${t}"`).join(" or ")}` };
      deps.setTheme(parsed.data.theme);
      return { success: true, theme: parsed.data.theme };
    }
    if (name === RECORD_FACT) {
      const parsed = recordFactParamsSchema.safeParse(params);
      if (!parsed.success) return { success: false, error: "fact_id and fact_text are required" };
      if (!recorded.has(parsed.data.fact_id)) {
        recorded.add(parsed.data.fact_id);
        deps.recordFact({ id: parsed.data.fact_id, text: parsed.data.fact_text });
      }
      return { success: true };
    }
    return { success: false, error: `Unknown client tool: ${name}` };
  };
}
