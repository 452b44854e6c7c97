/**
 * For handlers we do not write ourselves (next-auth's routes): an error answer that is not our
 * JSON body (`{detail, code}`) is rewritten into one, keeping its headers (cookies included).
 */
import { errorBodySchema } from "./error-body";

const CODES: Record<number, string> = { 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed" };

function detailFrom(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === "string" && message.trim()) return message.trim().slice(0, 300);
  } catch {
    // not JSON: maybe a plain sentence
  }
  const plain = text.replace(/^Error:\s*/, "").trim();
  return plain && !plain.startsWith("[object") && !plain.startsWith("<") ? plain.slice(0, 300) : undefined;
}

/**
 * `serverErrorsAs`: the status to answer instead of a 5xx the handler produced for a request
 * it could not process (next-auth answers some malformed requests with 500).
 */
export async function ensureJsonError(response: Response, options: { serverErrorsAs?: number } = {}): Promise<Response> {
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
  if (ours && status === response.status) return new Response(text, { status, headers });
  headers.set("content-type", "application/json");
  const detail = (status === response.status ? detailFrom(text) : undefined) ?? "The request could not be processed";
  return new Response(JSON.stringify({ detail, code: CODES[status] ?? "request_failed" }), { status, headers });
}
