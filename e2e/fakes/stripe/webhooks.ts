/** Signing and delivering events exactly as Stripe does (HMAC-SHA256 over `${t}.${body}`). */
import { createHmac } from "node:crypto";

export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export type Delivery = { eventId: string; type: string; status: number; body: string; at: number };
/** Sends a signed payload somewhere; the default POSTs to the app, tests may call a handler in-process. */
export type Transport = (payload: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

export function httpTransport(url: string): Transport {
  return async (payload, headers) => {
    const res = await fetch(url, { method: "POST", headers, body: payload });
    return { status: res.status, body: await res.text() };
  };
}
