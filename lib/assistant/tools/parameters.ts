/** A tool's JSON Schema for the Responses API, derived from the zod schema its arguments are parsed with. */
import "server-only";
import type { FunctionTool } from "openai/resources/responses/responses";
import { z } from "zod";

type JsonSchema = { [key: string]: unknown };

/**
 * Strict function calling takes a subset of JSON Schema: every property required, no others
 * allowed (z.toJSONSchema writes both for an object's output), no `$schema`, and no string length bounds;
 * the server checks those when it parses the arguments with the same zod schema.
 */
function forStrictMode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forStrictMode);
  if (node === null || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "minLength" || key === "maxLength") continue;
    out[key] = forStrictMode(value);
  }
  return out;
}

export function functionTool(name: string, description: string, args: z.ZodObject): FunctionTool {
  const parameters = forStrictMode(z.toJSONSchema(args)) as JsonSchema;
  return { type: "function", name, description, strict: true, parameters };
}
