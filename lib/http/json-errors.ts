/**
 * For handlers we do not write ourselves (next-auth's routes): an error answer that is not our
 * JSON body (`{detail, code}`) is rewritten into one, keeping its headers (cookies included).
 */
import { errorBodySchema } from "./error-body";
import { currentRequestContext } from "@/lib/observability/request-context";

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
};

function detailFrom(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === "string" && message.trim()) return message.trim().slice(0, 300);
    return undefined; // JSON without a sentence in it
  } catch {
    // not JSON: maybe a plain sentence
  }
  const plain = text.replace(/^Error:\s*/, "").trim();
  return plain && !plain.startsWith("[object") && !plain.startsWith("<") ? plain.slice(0, 300) : undefined;
}

function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * `serverErrorsAs`: the status to answer instead of a 5xx the handler produced for a request
 * it could not process (next-auth answers some malformed requests with 500).
 */
export async function ensureJsonError(
  response: Response,
  options: { serverErrorsAs?: number } = {},
): Promise<Response> {
  if (response.status < 400) return response;
  const text = await response.text().catch(() => "");
  let ours = false;
  try {
    ours = errorBodySchema.safeParse(JSON.parse(text)).success;
  } catch {
    ours = false;
  }
  const status = response.status >= 500 && options.serverErrorsAs ? options.serverErrorsAs : response.status;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  const requestId = currentRequestContext()?.requestId;
  const withId = requestId ? { request_id: requestId } : {};
  if (ours && status === response.status)
    return new Response(JSON.stringify({ ...jsonObject(text), ...withId }), { status, headers });
  headers.set("content-type", "application/json");
  const sameStatus = status === response.status;
  const detail = (sameStatus ? detailFrom(text) : undefined) ?? "The request could not be processed";
  // A JSON object answer keeps its fields: next-auth's client reads `url` from its 401 on a
  // failed credentials sign-in to learn the error.
  const fields = sameStatus ? jsonObject(text) : {};
  const body = { ...fields, detail, code: CODES[status] ?? "request_failed", ...withId };
  return new Response(JSON.stringify(body), {
    status,
    headers,
  });
}
