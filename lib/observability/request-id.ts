/**
 * The request id an operator follows through logs and traces. An incoming `x-request-id` (from
 * a proxy or the caller) is kept, else Vercel's `x-vercel-id`, else a fresh UUID. A kept id is
 * bounded and of a safe charset, so it can go into headers, JSON and log lines as it is.
 */
export const REQUEST_ID_HEADER = "x-request-id";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSafeRequestId(value: string): boolean {
  return SAFE_ID.test(value);
}

export function requestIdFrom(headers: Headers): string {
  for (const name of [REQUEST_ID_HEADER, "x-vercel-id"]) {
    const value = headers.get(name)?.trim();
    if (value && isSafeRequestId(value)) return value;
  }
  return crypto.randomUUID();
}
