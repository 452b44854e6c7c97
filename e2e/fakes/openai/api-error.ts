/** The fake's errors: thrown by a handler, answered in the API's error shape by the server. */
import type { z } from "zod";

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Parses a request body (or query) like the API validates it: the first issue becomes a 400. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join(".") || null;
  throw new FakeApiError(
    400,
    `Invalid value for '${param ?? "body"}': ${issue?.message ?? "invalid"}`,
    param,
    "invalid_value",
  );
}
