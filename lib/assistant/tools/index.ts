/**
 * The model's tools, one module each: its name, its arguments' zod schema (the JSON Schema the
 * model sees is derived from it, parameters.ts) and, for a server tool, what parses its calls.
 * `save_fact` runs on the server (server.ts handles its calls); `switch_theme` in the browser.
 * A new tool: a module here, its entry in TOOLS (and in CLIENT_TOOLS if the browser runs it).
 */
import "server-only";
import type { FunctionTool } from "openai/resources/responses/responses";
import { saveFactTool } from "./save-fact";
import { SWITCH_THEME } from "@/lib/ui/client-tool-names";
import { switchThemeTool } from "./switch-theme";

export { SAVE_FACT, saveFactArgsSchema } from "./save-fact";

/** The tools ChatKit hands to the browser instead of running them here. */
export const CLIENT_TOOLS = [SWITCH_THEME];

export const TOOLS: FunctionTool[] = [saveFactTool, switchThemeTool];
