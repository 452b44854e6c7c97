/** The model's tools: `save_fact` runs on the server, `switch_theme` in the browser. */
import type { FunctionTool } from "openai/resources/responses/responses";
import { z } from "zod";
import { FACT_MAX_LENGTH } from "@/lib/facts/repository";
import { SAVE_FACT_DESCRIPTION, SWITCH_THEME_DESCRIPTION } from "./constants";

export const SAVE_FACT = "save_fact";
export const SWITCH_THEME = "switch_theme";
export const CLIENT_TOOLS = [SWITCH_THEME];

export const saveFactArgsSchema = z.object({ fact: z.string().trim().min(1).max(FACT_MAX_LENGTH) });

export const TOOLS: FunctionTool[] = [
  {
    type: "function",
    name: SAVE_FACT,
    description: SAVE_FACT_DESCRIPTION,
    strict: true,
    parameters: {
      type: "object",
      properties: { fact: { type: "string", description: "The fact, as a short third-person statement." } },
      required: ["fact"],
      additionalProperties: false,
    },
  },
  {
    type: "function",
    name: SWITCH_THEME,
    description: SWITCH_THEME_DESCRIPTION,
    strict: true,
    parameters: {
      type: "object",
      properties: { theme: { type: "string", enum: ["light", "dark"] } },
      required: ["theme"],
      additionalProperties: false,
    },
  },
];
