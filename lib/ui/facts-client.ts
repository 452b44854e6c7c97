/** The facts REST API as the facts panel uses it (shapes checked, never trusted). */
import { z } from "zod/mini";
import { ApiError, errorDetail } from "./api";

const factSchema = z.object({
  id: z.string().check(z.minLength(1)),
  text: z.string(),
  status: z.enum(["pending", "saved", "discarded"]),
  createdAt: z.string(),
});
export type FactItem = z.infer<typeof factSchema>;

const listSchema = z.object({ facts: z.array(factSchema) });
const oneSchema = z.object({ fact: factSchema });

async function call<T>(
  fetchImpl: typeof fetch,
  path: string,
  init: RequestInit,
  schema: z.ZodMiniType<T>,
  failure: string,
) {
  const response = await fetchImpl(path, { ...init, headers: { accept: "application/json", ...init.headers } });
  if (!response.ok) throw new ApiError(response.status, await errorDetail(response, failure));
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError(response.status, "The server answered in an unexpected format.");
  return parsed.data;
}

/** The user's saved facts, oldest first. */
export async function fetchFacts(fetchImpl: typeof fetch): Promise<FactItem[]> {
  const body = await call(
    fetchImpl,
    "/facts",
    { method: "GET", cache: "no-store" },
    listSchema,
    "Could not load your facts.",
  );
  return body.facts;
}

export async function discardFact(fetchImpl: typeof fetch, id: string): Promise<FactItem> {
  const path = `/facts/${encodeURIComponent(id)}/discard`;
  return (await call(fetchImpl, path, { method: "POST" }, oneSchema, "Could not remove the fact.")).fact;
}

/** Undo of a discard: the same fact goes back to saved. */
export async function restoreFact(fetchImpl: typeof fetch, id: string): Promise<FactItem> {
  const path = `/facts/${encodeURIComponent(id)}/save`;
  return (await call(fetchImpl, path, { method: "POST" }, oneSchema, "Could not restore the fact.")).fact;
}
