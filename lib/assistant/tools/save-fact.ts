/** `save_fact`, run on the server: the model proposes a fact, the person confirms it on a card (fact-widget.ts). */
import "server-only";
import { z } from "zod";
import { FACT_MAX_LENGTH } from "@/lib/facts/repository";
import { SAVE_FACT_DESCRIPTION } from "../constants";
import { functionTool } from "./parameters";

export const SAVE_FACT = "save_fact";

export const saveFactArgsSchema = z.object({
  fact: z
    .string()
    .trim()
    .min(1)
    .max(FACT_MAX_LENGTH)
    .meta({ description: "The fact, as a short third-person statement." }),
});

export const saveFactTool = functionTool(SAVE_FACT, SAVE_FACT_DESCRIPTION, saveFactArgsSchema);
