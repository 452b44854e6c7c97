/** Request body parsing: size limit, JSON syntax, then a zod schema. */
import type { ZodError, ZodType } from "zod";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from "@/lib/chatkit/json-depth";
import { DEFAULT_BODY_LIMIT } from "./body-limits";
import { invalidJson, payloadTooLarge, validationError, type ErrorIssue } from "./errors";

export function zodIssues(error: ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** Reads the raw body, refusing more than `limit` bytes without buffering it all. */
export async function readBytes(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/** Reads the raw body as UTF-8 text, with the same limit. */
export async function readText(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readBytes(request, limit));
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function parseJsonText(text: string): unknown {
  if (jsonNestsDeeperThan(text)) throw invalidJson(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJson();
  }
}

/** Validates any value against a schema, throwing the contract's 422. */
export function validate<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(zodIssues(result.error));
  return result.data;
}

/**
 * Reads and validates a JSON body. An empty body is treated as `{}` when `allowEmpty` is set
 * (endpoints whose fields are all optional).
 */
export async function parseJson<T>(
  request: Request,
  schema: ZodType<T>,
  options: { limit?: number; allowEmpty?: boolean } = {},
): Promise<T> {
  const text = await readText(request, options.limit);
  if (text.trim() === "") {
    if (options.allowEmpty) return validate(schema, {});
    throw invalidJson("Request body is empty; a JSON object is expected");
  }
  return validate(schema, parseJsonText(text));
}
